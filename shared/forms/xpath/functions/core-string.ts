import { XPathEvaluationError } from '../errors'
import { toStringValue } from '../values'
import { argNumber, argString, argStringsFlat, fn, type FunctionTable } from './helpers'

/** Code points, not UTF-16 units: XPath counts characters, and so do Collect and Enketo. */
const chars = (text: string): string[] => Array.from(text)

/** XPath 1.0 substring(): round the start and length, keep characters at positions in range. */
const substring = (text: string, start: number, length: number | undefined): string => {
  const all = chars(text)
  const first = Math.round(start)
  const end = length === undefined ? Infinity : first + Math.round(length)
  if (Number.isNaN(first) || Number.isNaN(end)) return ''
  let out = ''
  for (let i = 0; i < all.length; i += 1) {
    const position = i + 1
    if (position >= first && position < end) out += all[i]
  }
  return out
}

/** ODK substr(): zero-based start and exclusive end, negatives counting from the end, like Java. */
const substr = (text: string, start: number, end: number | undefined): string => {
  const all = chars(text)
  const clamp = (n: number): number => {
    const whole = Math.trunc(n)
    const fromEnd = whole < 0 ? all.length + whole : whole
    return Math.min(Math.max(fromEnd, 0), all.length)
  }
  // JavaRosa's toInt turns NaN into 0 for both ends.
  const from = clamp(Number.isNaN(start) ? 0 : start)
  const to = end === undefined ? all.length : clamp(Number.isNaN(end) ? 0 : end)
  return from >= to ? '' : all.slice(from, to).join('')
}

const translate = (text: string, from: string, to: string): string => {
  const fromChars = chars(from)
  const toChars = chars(to)
  const map = new Map<string, string>()
  fromChars.forEach((char, i) => {
    if (!map.has(char)) map.set(char, toChars[i] ?? '')
  })
  return chars(text)
    .map((char) => map.get(char) ?? char)
    .join('')
}

const regexCache = new Map<string, RegExp | null>()

/**
 * regex() must match the whole value, as JavaRosa's Pattern.matches does on Collect, so '[0-9]+'
 * refuses 'abc123'. ODK Web Forms searches instead; forms written with ^ and $ behave the same in
 * both. No 'u' flag: Java patterns often escape characters that flag would refuse.
 */
const compileRegex = (pattern: string): RegExp => {
  let compiled = regexCache.get(pattern)
  if (compiled === undefined) {
    try {
      compiled = new RegExp(`^(?:${pattern})$`)
    } catch {
      compiled = null
    }
    if (regexCache.size > 500) regexCache.clear()
    regexCache.set(pattern, compiled)
  }
  if (compiled === null)
    throw new XPathEvaluationError(
      `The pattern "${pattern}" given to regex() is not a valid regular expression`,
    )
  return compiled
}

export const stringFunctions: FunctionTable = {
  string: fn(0, 1, (args, f) => argString(args, 0, f)),
  concat: fn(0, Infinity, (args, f) => argStringsFlat(args, f).join('')),
  join: fn(1, Infinity, (args, f) => {
    const [separator = '', ...values] = argStringsFlat(args, f)
    return values.join(separator)
  }),
  'starts-with': fn(2, 2, (args, f) => argString(args, 0, f).startsWith(argString(args, 1, f))),
  'ends-with': fn(2, 2, (args, f) => argString(args, 0, f).endsWith(argString(args, 1, f))),
  contains: fn(2, 2, (args, f) => argString(args, 0, f).includes(argString(args, 1, f))),
  'substring-before': fn(2, 2, (args, f) => {
    const text = argString(args, 0, f)
    const index = text.indexOf(argString(args, 1, f))
    return index < 0 ? '' : text.slice(0, index)
  }),
  'substring-after': fn(2, 2, (args, f) => {
    const text = argString(args, 0, f)
    const needle = argString(args, 1, f)
    const index = text.indexOf(needle)
    return index < 0 ? '' : text.slice(index + needle.length)
  }),
  substring: fn(2, 3, (args, f) =>
    substring(
      argString(args, 0, f),
      argNumber(args, 1, f),
      args.length > 2 ? argNumber(args, 2, f) : undefined,
    ),
  ),
  substr: fn(2, 3, (args, f) =>
    substr(
      argString(args, 0, f),
      argNumber(args, 1, f),
      args.length > 2 ? argNumber(args, 2, f) : undefined,
    ),
  ),
  'string-length': fn(0, 1, (args, f) => chars(argString(args, 0, f)).length),
  'normalize-space': fn(0, 1, (args, f) =>
    argString(args, 0, f)
      .replace(/[ \t\r\n]+/g, ' ')
      .replace(/^ | $/g, ''),
  ),
  translate: fn(3, 3, (args, f) =>
    translate(argString(args, 0, f), argString(args, 1, f), argString(args, 2, f)),
  ),
  regex: fn(2, 2, (args, f) => compileRegex(argString(args, 1, f)).test(argString(args, 0, f))),
  // JavaRosa's isNull: an empty string or NaN falls through to the second argument.
  coalesce: fn(2, 2, (args, f) => {
    const first = args[0]!(f)
    if (typeof first === 'number' && Number.isNaN(first)) return argString(args, 1, f)
    const text = toStringValue(first)
    return text !== '' ? text : argString(args, 1, f)
  }),
}
