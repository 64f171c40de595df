/**
 * Dates without Temporal or Intl: the form's clock and time zone are injected, so the functions
 * stay deterministic in tests and identical in Node and the browser.
 */
export type TimeZone = {
  /** Minutes east of UTC in force at that instant (+120 for UTC+02:00). */
  offsetMinutes(epochMs: number): number
}

export const DAY_MS = 86_400_000

export const fixedTimeZone = (minutes: number): TimeZone => ({ offsetMinutes: () => minutes })

/** The device's zone, which is what ODK Collect and Enketo use for today(), now() and dates. */
export const systemTimeZone: TimeZone = {
  offsetMinutes: (epochMs) => -new Date(epochMs).getTimezoneOffset(),
}

export type WallTime = {
  readonly year: number
  readonly month: number // 1-12
  readonly day: number
  readonly hour: number
  readonly minute: number
  readonly second: number
  readonly millisecond: number
  readonly weekday: number // 0 = Sunday
}

const DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2})(?::(\d{2})(?::(\d{2})(\.\d+)?)?)?(Z|[+-]\d{2}:\d{2})?)?$/

const daysInMonth = (year: number, month: number): number =>
  new Date(Date.UTC(year, month, 0)).getUTCDate()

const utcMs = (y: number, mo: number, d: number, h: number, mi: number, s: number, ms: number) => {
  const date = new Date(0)
  date.setUTCFullYear(y, mo - 1, d)
  date.setUTCHours(h, mi, s, ms)
  return date.getTime()
}

/** Local wall-clock fields to an instant, resolving the offset at that instant. */
export const wallToEpoch = (wallAsUtc: number, zone: TimeZone): number => {
  const guess = wallAsUtc - zone.offsetMinutes(wallAsUtc) * 60_000
  return wallAsUtc - zone.offsetMinutes(guess) * 60_000
}

const parseOffset = (text: string): number | null => {
  if (text === 'Z') return 0
  const hours = Number(text.slice(1, 3))
  const minutes = Number(text.slice(4, 6))
  if (hours > 14 || minutes > 59) return null
  return (text.startsWith('-') ? -1 : 1) * (hours * 60 + minutes)
}

/**
 * Parses an ISO date (`2020-01-31`) or dateTime (`2020-01-31T10:11`, seconds, fraction and an
 * offset optional) to epoch milliseconds. A value without an offset is local time. Returns null
 * for anything else, including impossible dates such as 2020-02-30.
 */
export const parseDateTime = (text: string, zone: TimeZone): number | null => {
  const match = DATE_TIME.exec(text)
  if (match === null) return null
  const [, y, mo, d, h = '0', mi = '0', s = '0', fraction = '', offset] = match
  const year = Number(y)
  const month = Number(mo)
  const day = Number(d)
  const [hour, minute, second] = [Number(h), Number(mi), Number(s)]
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null
  if (hour > 23 || minute > 59 || second > 59) return null
  const millisecond = fraction === '' ? 0 : Math.round(Number(`0${fraction}`) * 1000)
  const wall = utcMs(year, month, day, hour, minute, second, millisecond)
  if (offset === undefined) return wallToEpoch(wall, zone)
  const minutes = parseOffset(offset)
  return minutes === null ? null : wall - minutes * 60_000
}

/**
 * An instant as whole days since 1970-01-01 on the local calendar: JavaRosa's daysSinceEpoch,
 * which is what a date or dateTime is worth in arithmetic and comparisons. The time of day is
 * dropped; decimal-date-time() keeps it.
 */
export const localDays = (epochMs: number, zone: TimeZone): number =>
  Math.floor((epochMs + zone.offsetMinutes(epochMs) * 60_000) / DAY_MS)

/** Local calendar days back to an instant: the inverse of localDays. */
export const localDaysToEpoch = (days: number, zone: TimeZone): number =>
  wallToEpoch(days * DAY_MS, zone)

export const dateLikeToDays = (text: string, zone: TimeZone): number => {
  const ms = parseDateTime(text, zone)
  return ms === null ? NaN : localDays(ms, zone)
}

export const toWallTime = (epochMs: number, zone: TimeZone): WallTime => {
  const shifted = new Date(epochMs + zone.offsetMinutes(epochMs) * 60_000)
  return {
    year: shifted.getUTCFullYear(),
    month: shifted.getUTCMonth() + 1,
    day: shifted.getUTCDate(),
    hour: shifted.getUTCHours(),
    minute: shifted.getUTCMinutes(),
    second: shifted.getUTCSeconds(),
    millisecond: shifted.getUTCMilliseconds(),
    weekday: shifted.getUTCDay(),
  }
}

const pad = (n: number, width: number): string => String(n).padStart(width, '0')

export const formatOffset = (minutes: number): string => {
  const sign = minutes < 0 ? '-' : '+'
  const abs = Math.abs(minutes)
  return `${sign}${pad(Math.floor(abs / 60), 2)}:${pad(abs % 60, 2)}`
}

export const isoDate = (wall: WallTime): string =>
  `${pad(wall.year, 4)}-${pad(wall.month, 2)}-${pad(wall.day, 2)}`

/** `2020-01-31T10:11:12.345+02:00`, the form ODK writes dateTime answers in. */
export const isoDateTime = (epochMs: number, zone: TimeZone): string => {
  const wall = toWallTime(epochMs, zone)
  const time = `${pad(wall.hour, 2)}:${pad(wall.minute, 2)}:${pad(wall.second, 2)}.${pad(wall.millisecond, 3)}`
  return `${isoDate(wall)}T${time}${formatOffset(zone.offsetMinutes(epochMs))}`
}

/** A date at local midnight prints as a date; any other instant as a full dateTime. */
export const isoDateOrDateTime = (epochMs: number, zone: TimeZone): string => {
  const wall = toWallTime(epochMs, zone)
  const midnight =
    wall.hour === 0 && wall.minute === 0 && wall.second === 0 && wall.millisecond === 0
  return midnight ? isoDate(wall) : isoDateTime(epochMs, zone)
}
