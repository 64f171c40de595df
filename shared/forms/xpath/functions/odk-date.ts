import type { Evaluator, Frame } from '../context'
import {
  DAY_MS,
  isoDateOrDateTime,
  isoDateTime,
  localDays,
  localDaysToEpoch,
  parseDateTime,
  toWallTime,
  wallToEpoch,
  type TimeZone,
  type WallTime,
} from '../time'
import { DateValue, isNodeSet, toStringValue, type XPathValue } from '../values'
import { argString, fn, type FunctionTable } from './helpers'

const dateValue = (ms: number | null, zone: TimeZone): DateValue =>
  ms === null || Number.isNaN(ms)
    ? new DateValue(NaN, '', NaN)
    : new DateValue(ms, isoDateOrDateTime(ms, zone), localDays(ms, zone))

const UNPADDED = /^(\d{4})-(\d{1,2})-(\d{1,2})(T.*)?$/

/** Dates written by hand are often unpadded (2020-1-5); ODK accepts them in date(). */
const padDate = (text: string): string => {
  const match = UNPADDED.exec(text)
  if (match === null) return text
  const [, y = '', m = '', d = '', rest = ''] = match
  return `${y}-${m.padStart(2, '0')}-${d.padStart(2, '0')}${rest}`
}

/**
 * A value as an instant: numbers are local calendar days since 1970-01-01 (so date arithmetic
 * lands on the right day in every zone), text is an ISO date or dateTime.
 */
const toEpoch = (value: XPathValue, frame: Frame): number | null => {
  if (value instanceof DateValue) return Number.isNaN(value.ms) ? null : value.ms
  if (typeof value === 'number')
    return Number.isFinite(value) ? localDaysToEpoch(value, frame.env.zone) : null
  if (typeof value === 'boolean') return null
  const text = toStringValue(value).trim()
  if (text === '') return null
  return parseDateTime(padDate(text), frame.env.zone)
}

/**
 * date() and date-time() as JavaRosa's toDate: '' stays '', text keeps its time, and date()
 * drops the time of a number or a date value (date-time() keeps it).
 */
const dateFunction = (keepTime: boolean) =>
  fn(1, 1, (args, f) => {
    const value = args[0]!(f)
    if (typeof value === 'boolean') return ''
    if ((typeof value === 'string' || isNodeSet(value)) && toStringValue(value) === '') return ''
    const zone = f.env.zone
    if (!keepTime && typeof value === 'number')
      return dateValue(toEpoch(Math.trunc(value), f), zone)
    const epoch = toEpoch(value, f)
    if (!keepTime && value instanceof DateValue && epoch !== null)
      return dateValue(startOfDay(epoch, zone), zone)
    return dateValue(epoch, zone)
  })

/** decimal-date-time(): UTC-based days since the epoch; a number is taken as already that. */
const decimalDateTime = fn(1, 1, (args, f) => {
  const value = args[0]!(f)
  if (typeof value === 'number') return value
  const epoch = toEpoch(value, f)
  return epoch === null ? NaN : epoch / DAY_MS
})

const startOfDay = (epochMs: number, zone: TimeZone): number => {
  const wall = toWallTime(epochMs, zone)
  return wallToEpoch(Date.UTC(wall.year, wall.month - 1, wall.day), zone)
}

const SHORT_MONTHS = [
  'Jan',
  'Feb',
  'Mar',
  'Apr',
  'May',
  'Jun',
  'Jul',
  'Aug',
  'Sep',
  'Oct',
  'Nov',
  'Dec',
]
const SHORT_DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat']
const pad = (n: number, width = 2): string => String(n).padStart(width, '0')

const FORMATTERS: Readonly<Record<string, (w: WallTime) => string>> = {
  Y: (w) => pad(w.year, 4),
  y: (w) => pad(w.year, 4).slice(-2),
  m: (w) => pad(w.month),
  n: (w) => String(w.month),
  b: (w) => SHORT_MONTHS[w.month - 1] ?? '',
  d: (w) => pad(w.day),
  e: (w) => String(w.day),
  a: (w) => SHORT_DAYS[w.weekday] ?? '',
  H: (w) => pad(w.hour),
  h: (w) => String(w.hour),
  M: (w) => pad(w.minute),
  S: (w) => pad(w.second),
  '3': (w) => pad(w.millisecond, 3),
}

/** Unknown %x codes stay as written, so a typo shows in the form rather than vanishing. */
const formatWall = (format: string, wall: WallTime): string =>
  format.replace(/%(.)/g, (whole, code: string) => FORMATTERS[code]?.(wall) ?? whole)

const formatFunction = (args: readonly Evaluator[], f: Frame): string => {
  const epoch = toEpoch(args[0]!(f), f)
  if (epoch === null) return ''
  return formatWall(argString(args, 1, f), toWallTime(epoch, f.env.zone))
}

/** decimal-time('10:30:00.000+01:00'): the fraction of a day, read in the form's zone. */
const decimalTime = (text: string, zone: TimeZone): number => {
  if (!/^\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?$/.test(text)) return NaN
  const epoch = parseDateTime(`1970-01-01T${text}`, zone)
  if (epoch === null) return NaN
  const wall = toWallTime(epoch, zone)
  return (((wall.hour * 60 + wall.minute) * 60 + wall.second) * 1000 + wall.millisecond) / DAY_MS
}

export const dateFunctions: FunctionTable = {
  today: fn(0, 0, (_args, f) => dateValue(startOfDay(f.env.clock(), f.env.zone), f.env.zone)),
  now: fn(0, 0, (_args, f) => {
    const ms = f.env.clock()
    return new DateValue(ms, isoDateTime(ms, f.env.zone), localDays(ms, f.env.zone))
  }),
  date: dateFunction(false),
  'date-time': dateFunction(true),
  'decimal-date-time': decimalDateTime,
  'decimal-date': decimalDateTime,
  'decimal-time': fn(1, 1, (args, f) => decimalTime(argString(args, 0, f).trim(), f.env.zone)),
  'format-date': fn(2, 2, formatFunction),
  'format-date-time': fn(2, 2, formatFunction),
}
