import {
  DateValue,
  isNodeSet,
  lookupFunction,
  systemTimeZone,
  toBooleanValue,
  toNumberValue,
  toStringValue,
  type FunctionDefinition,
} from '../../../../shared/forms/xpath'

/**
 * ODK Web Forms' versions of functions where it departs from JavaRosa or XPath 1.0, re-implemented
 * from its source so the differential test can name each difference instead of guessing.
 */
type Table = Readonly<Record<string, FunctionDefinition>>
const zone = systemTimeZone

const def = (
  minArgs: number,
  maxArgs: number,
  call: FunctionDefinition['call'],
): FunctionDefinition => ({
  minArgs,
  maxArgs,
  call,
})

/** JS String#substring swaps a negative-length range. */
const substring = def(2, 3, (args, f) => {
  const text = toStringValue(args[0]!(f))
  if (text === '') return ''
  const start = Math.round(toNumberValue(args[1]!(f), zone)) - 1
  if (start === Infinity || Number.isNaN(start)) return ''
  const length = args[2] === undefined ? undefined : toNumberValue(args[2](f), zone)
  if (length !== undefined && Number.isNaN(length)) return ''
  return text.substring(start, length === undefined ? text.length : start + Math.round(length))
})

/** JavaScript Number(): ' ' is 0 and '1e3' is 1000. */
const number = def(0, 1, (args, f) => {
  const value = args[0] === undefined ? [f.node] : args[0](f)
  if (typeof value === 'number') return value
  const text = toStringValue(value)
  return text === '' ? NaN : Number(text)
})

/** '' splits to [''], so selected('', '') is true. */
const selected = def(2, 2, (args, f) =>
  toStringValue(args[0]!(f))
    .trim()
    .split(/\s+/)
    .includes(toStringValue(args[1]!(f)).trim()),
)

/** A search anywhere in the value rather than a whole-value match. */
const regex = def(2, 2, (args, f) =>
  new RegExp(toStringValue(args[1]!(f))).test(toStringValue(args[0]!(f))),
)

/** Half away from zero on binary floating point. */
const round = def(1, 2, (args, f) => {
  const value = toNumberValue(args[0]!(f), zone)
  const digits = args[1] === undefined ? 0 : toNumberValue(args[1](f), zone)
  if (Number.isNaN(value) || Number.isNaN(digits)) return NaN
  const factor = 10 ** digits
  return (Math.round(Math.abs(value) * factor) / factor) * (value < 0 ? -1 : 1)
})

const numbersOf = (
  args: Parameters<FunctionDefinition['call']>[0],
  f: Parameters<FunctionDefinition['call']>[1],
) =>
  args.flatMap((arg) => {
    const value = arg(f)
    return isNodeSet(value)
      ? value.map((node) => toNumberValue([node], zone))
      : [toNumberValue(value, zone)]
  })

/** No nodes at all sum to NaN (JavaRosa: 0). */
const sum = def(1, 1, (args, f) => {
  const numbers = numbersOf(args, f)
  return numbers.length === 0 ? NaN : numbers.reduce((a, b) => a + b, 0)
})

/** -1 means "no bound" for weighted-checklist too. */
const weightedChecklist = def(2, Infinity, (args, f) => {
  let total = 0
  for (let i = 2; i < args.length; i += 2)
    if (toBooleanValue(args[i]!(f))) total += toNumberValue(args[i + 1]!(f), zone)
  const min = toNumberValue(args[0]!(f), zone)
  const max = toNumberValue(args[1]!(f), zone)
  return (min < 0 || total >= min) && (max < 0 || total <= max)
})

const booleanFromString = def(1, 1, (args, f) => ['true', '1'].includes(toStringValue(args[0]!(f))))

const coalesce = def(2, 2, (args, f) => {
  const first = toStringValue(args[0]!(f))
  return first !== '' ? first : toStringValue(args[1]!(f))
})

/** pow() of NaN is NaN even to the power 0 (IEEE and Java say 1). */
const pow = def(2, 2, (args, f) => {
  const base = toNumberValue(args[0]!(f), zone)
  const exponent = toNumberValue(args[1]!(f), zone)
  return Number.isNaN(base) || Number.isNaN(exponent) ? NaN : base ** exponent
})

/** date() keeps the time of day of a number, as date-time() does. */
const date = lookupFunction('date-time')!

/** Dates count as fractional UTC days in arithmetic, keeping the time of day. */
const fractionalDate = def(1, 1, (args, f) => {
  const value = date.call(args, f)
  return value instanceof DateValue
    ? new DateValue(value.ms, value.text, value.ms / 86_400_000)
    : value
})

/** '%a' is blank on Sundays: Temporal numbers Sunday 7, past the end of a Sunday-first table. */
const sundayBlank = (name: string): FunctionDefinition => {
  const ours = lookupFunction(name)!
  return def(2, 2, (args, f) => toStringValue(ours.call(args, f)).replace('Sun', ''))
}

/**
 * A position below 1 or no number (blank) finds no repeat instance, so the result is empty; JavaRosa reads it as 1
 * (getodk/javarosa#220: a blank index, or `../pos - 1` in the first instance, gives the first).
 */
const ourIndexedRepeat = lookupFunction('indexed-repeat')!
const indexedRepeat = def(3, Infinity, (args, f) => {
  for (let i = 2; i < args.length; i += 2) if (!(toNumberValue(args[i]!(f), zone) >= 1)) return []
  return ourIndexedRepeat.call(args, f)
})

/** Each variant on its own, so a disagreement is named by the one that explains it. */
export const WEB_FORMS_VARIANTS: readonly (readonly [string, Table])[] = [
  ['substring-swaps-negative-length', { substring }],
  ['number-uses-javascript-parsing', { number }],
  ['selected-matches-empty-value', { selected }],
  ['regex-searches-instead-of-matching', { regex }],
  ['round-half-away-from-zero-in-binary', { round }],
  ['sum-of-no-nodes-is-nan', { sum }],
  ['indexed-repeat-below-one-finds-nothing', { 'indexed-repeat': indexedRepeat }],
  ['weighted-checklist-reads-minus-one-as-no-bound', { 'weighted-checklist': weightedChecklist }],
  ['boolean-from-string-is-case-sensitive', { 'boolean-from-string': booleanFromString }],
  ['coalesce-keeps-nan', { coalesce }],
  ['date-keeps-time-of-numbers', { date }],
  ['pow-of-nan-is-nan', { pow }],
  ['datetimes-count-fractional-days', { date: fractionalDate, 'date-time': fractionalDate }],
  [
    'format-date-blanks-sunday',
    {
      'format-date': sundayBlank('format-date'),
      'format-date-time': sundayBlank('format-date-time'),
    },
  ],
  ['substring-and-number', { substring, number }],
  ['regex-and-round', { regex, round }],
]
