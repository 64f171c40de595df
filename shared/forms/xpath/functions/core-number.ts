import { argNodes, argNumber, argNumbersFlat, fn, type FunctionTable } from './helpers'
import type { FunctionDefinition } from '../context'
import { stringToNumber } from '../values'

const unary = (op: (n: number) => number): FunctionDefinition =>
  fn(1, 1, (args, f) => op(argNumber(args, 0, f)))

/**
 * JavaRosa's round(value, digits): ties go towards +Infinity (XPath 1.0: round(-2.5) is -2), and
 * the decision is made on the number's shortest decimal text, so round(1.005, 2) is 1.01 as a
 * person reading the form expects, not the 1 that binary floating point gives.
 */
const round = (value: number, digits: number): number => {
  if (Number.isNaN(value) || !Number.isFinite(value)) return value
  const places = Math.trunc(digits)
  if (Number.isNaN(places) || Math.abs(places) > 30) return NaN
  const text = String(Math.abs(value))
  if (places < 0 || text.includes('e')) {
    return Math.floor(value * 10 ** places + 0.5) * 10 ** -places
  }
  return roundDecimalText(text, places, value < 0)
}

const roundDecimalText = (text: string, places: number, negative: boolean): number => {
  const [whole = '0', fraction = ''] = text.split('.')
  if (fraction.length <= places) return negative ? -Number(text) : Number(text)
  const kept = `${whole}${fraction.slice(0, places)}`
  const dropped = fraction.slice(places)
  // Magnitude rounds up at half or more for positives, above half for negatives.
  const up = negative ? dropped > '5' && !/^50*$/.test(dropped) : dropped[0]! >= '5'
  const magnitude = (Number(kept) + (up ? 1 : 0)) / 10 ** places
  return negative ? -magnitude : magnitude
}

/**
 * min() and max() as JavaRosa's XPathMinFunc/XPathMaxFunc: Math.min/Math.max over the numbers of
 * every value, so one value that is not a number (a blank answer) makes the result NaN; NaN when
 * there is no value at all.
 */
const extreme = (pick: (a: number, b: number) => number) =>
  fn(1, Infinity, (args, f) => {
    const numbers = argNumbersFlat(args, f)
    if (numbers.length === 0) return NaN
    return numbers.reduce((a, b) => pick(a, b))
  })

export const numberFunctions: FunctionTable = {
  number: fn(0, 1, (args, f) => argNumber(args, 0, f)),
  // JavaRosa's XPathSumFunc adds toNumeric of every node: one blank or text value makes NaN (a
  // calculate then stores nothing); no nodes at all is 0.
  sum: fn(1, 1, (args, f) => {
    let total = 0
    for (const node of argNodes(args, 0, f, 'sum')) total += stringToNumber(node.stringValue(), f.env.zone)
    return total
  }),
  floor: unary(Math.floor),
  ceiling: unary(Math.ceil),
  round: fn(1, 2, (args, f) =>
    round(argNumber(args, 0, f), args.length > 1 ? argNumber(args, 1, f) : 0),
  ),
  int: unary(Math.trunc),
  abs: unary(Math.abs),
  pow: fn(2, 2, (args, f) => argNumber(args, 0, f) ** argNumber(args, 1, f)),
  log: unary(Math.log),
  log10: unary(Math.log10),
  exp: unary(Math.exp),
  exp10: unary((n) => 10 ** n),
  sqrt: unary(Math.sqrt),
  sin: unary(Math.sin),
  cos: unary(Math.cos),
  tan: unary(Math.tan),
  asin: unary(Math.asin),
  acos: unary(Math.acos),
  atan: unary(Math.atan),
  atan2: fn(2, 2, (args, f) => Math.atan2(argNumber(args, 0, f), argNumber(args, 1, f))),
  pi: fn(0, 0, () => Math.PI),
  min: extreme(Math.min),
  max: extreme(Math.max),
  random: fn(0, 0, (_args, f) => f.env.random()),
}
