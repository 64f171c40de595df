import { argNodes, argNumber, argNumbersFlat, fn, type FunctionTable } from './helpers'
import type { FunctionDefinition } from '../context'
import { stringToNumber } from '../values'

const unary = (op: (n: number) => number): FunctionDefinition => fn(1, 1, (args, f) => op(argNumber(args, 0, f)))

/**
 * Half away from zero, as JavaRosa's BigDecimal HALF_UP does; XPath 1.0 rounds -2.5 to -2 but ODK
 * forms have always seen -3. The optional digits argument is ODK's.
 */
const round = (value: number, digits: number): number => {
  if (Number.isNaN(value) || Number.isNaN(digits) || !Number.isFinite(value)) return Number.isNaN(digits) ? NaN : value
  const factor = 10 ** Math.trunc(digits)
  const rounded = Math.round(Math.abs(value) * factor) / factor
  return value < 0 ? -rounded : rounded
}

const extreme = (pick: (a: number, b: number) => number) =>
  fn(1, Infinity, (args, f) => {
    const numbers = argNumbersFlat(args, f)
    if (numbers.length === 0) return NaN
    let result = numbers[0]!
    for (const n of numbers) {
      if (Number.isNaN(n)) return NaN
      result = pick(result, n)
    }
    return result
  })

export const numberFunctions: FunctionTable = {
  number: fn(0, 1, (args, f) => argNumber(args, 0, f)),
  sum: fn(1, 1, (args, f) => {
    let total = 0
    for (const node of argNodes(args, 0, f, 'sum')) total += stringToNumber(node.stringValue(), f.env.zone)
    return total
  }),
  floor: unary(Math.floor),
  ceiling: unary(Math.ceil),
  round: fn(1, 2, (args, f) => round(argNumber(args, 0, f), args.length > 1 ? argNumber(args, 1, f) : 0)),
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
