import type { XNode } from './node-model'
import { dateLikeToDays } from './time'
import type { TimeZone } from './time'

export type NodeSet = readonly XNode[]

/**
 * A date or dateTime produced by date(), today(), now() and friends. ODK treats it as a number
 * of days since 1970-01-01 in arithmetic and comparisons, and as its ISO text everywhere else.
 */
export class DateValue {
  constructor(
    /** Milliseconds since the epoch, NaN for an invalid date. */
    readonly ms: number,
    /** The ISO text: `2020-01-31` at local midnight, else `2020-01-31T10:11:12.000+02:00`. */
    readonly text: string,
    /** Whole days since 1970-01-01 on the local calendar, as JavaRosa's daysSinceEpoch. */
    readonly days: number,
  ) {}
}

export type XPathValue = string | number | boolean | NodeSet | DateValue

export const isNodeSet = (value: XPathValue): value is NodeSet => Array.isArray(value)

const XML_SPACE = /^[ \t\r\n]+|[ \t\r\n]+$/g
const DECIMAL = /^-?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)$/

export const trimXml = (text: string): string => text.replace(XML_SPACE, '')

/**
 * JavaRosa's toNumeric: optional whitespace, optional minus, digits with an optional point, a
 * comma read as the point (some locales type one). No exponent, no plus sign, no Infinity. A
 * string that looks like an ISO date or dateTime counts as whole local days since 1970-01-01, as a
 * date answer does in ODK.
 */
export const stringToNumber = (text: string, zone: TimeZone): number => {
  const trimmed = trimXml(text)
  if (DECIMAL.test(trimmed)) return Number(trimmed)
  if (trimmed.includes(',')) {
    const dotted = trimmed.replaceAll(',', '.')
    if (DECIMAL.test(dotted)) return Number(dotted)
  }
  return dateLikeToDays(trimmed, zone)
}

export const toStringValue = (value: XPathValue): string => {
  if (typeof value === 'string') return value
  if (typeof value === 'number') return numberToString(value)
  if (typeof value === 'boolean') return value ? 'true' : 'false'
  if (value instanceof DateValue) return value.text
  const first = value[0]
  return first === undefined ? '' : first.stringValue()
}

export const toNumberValue = (value: XPathValue, zone: TimeZone): number => {
  if (typeof value === 'number') return value
  if (typeof value === 'boolean') return value ? 1 : 0
  if (value instanceof DateValue) return value.days
  return stringToNumber(toStringValue(value), zone)
}

export const toBooleanValue = (value: XPathValue): boolean => {
  if (typeof value === 'boolean') return value
  if (typeof value === 'number') return value !== 0 && !Number.isNaN(value)
  if (typeof value === 'string') return value.length > 0
  if (value instanceof DateValue) return value.ms !== 0 && !Number.isNaN(value.ms)
  return value.length > 0
}

/**
 * XPath 1.0 section 4.2: integers without a decimal point, no exponent notation however large or
 * small the number, NaN and Infinity spelled out, negative zero as 0.
 */
export const numberToString = (n: number): string => {
  if (Number.isNaN(n)) return 'NaN'
  if (n === 0) return '0'
  if (!Number.isFinite(n)) return n > 0 ? 'Infinity' : '-Infinity'
  const text = String(n)
  const e = text.indexOf('e')
  return e < 0 ? text : expandExponent(text.slice(0, e), Number(text.slice(e + 1)))
}

const expandExponent = (mantissa: string, exponent: number): string => {
  const negative = mantissa.startsWith('-')
  const unsigned = negative ? mantissa.slice(1) : mantissa
  const point = unsigned.indexOf('.')
  const digits = unsigned.replace('.', '')
  const intLength = (point < 0 ? unsigned.length : point) + exponent
  let result: string
  if (intLength <= 0) result = `0.${'0'.repeat(-intLength)}${digits}`
  else if (intLength >= digits.length) result = digits + '0'.repeat(intLength - digits.length)
  else result = `${digits.slice(0, intLength)}.${digits.slice(intLength)}`
  return negative ? `-${result}` : result
}
