import type { SyncConflictView, SyncStatus } from '../../../../shared/api/sync'

/** What the status line says first, in order of what the person most needs to know. */
export type SyncState =
  | { kind: 'notEnrolled' }
  | { kind: 'syncing'; phase: 'upload' | 'push' | 'pull' | 'idle'; done: number; total: number | null }
  | { kind: 'offline'; nextAttemptAt: number | null }
  | { kind: 'failed'; message: string; nextAttemptAt: number | null }
  | { kind: 'synced'; at: number }
  | { kind: 'never' }

export type SyncTone = 'muted' | 'busy' | 'ok' | 'warn' | 'error'

export function summarizeSync(status: SyncStatus): SyncState {
  if (!status.enrolled) return { kind: 'notEnrolled' }
  if (status.running) return { kind: 'syncing', ...status.progress }
  if (status.lastError?.code === 'offline' || status.online === false)
    return { kind: 'offline', nextAttemptAt: status.nextAttemptAt }
  if (status.lastError)
    return { kind: 'failed', message: status.lastError.message, nextAttemptAt: status.nextAttemptAt }
  if (status.lastSuccessAt !== null) return { kind: 'synced', at: status.lastSuccessAt }
  return { kind: 'never' }
}

export function toneOf(state: SyncState): SyncTone {
  switch (state.kind) {
    case 'notEnrolled':
    case 'never':
      return 'muted'
    case 'syncing':
      return 'busy'
    case 'offline':
      return 'warn'
    case 'failed':
      return 'error'
    case 'synced':
      return 'ok'
  }
}

const units: [Intl.RelativeTimeFormatUnit, number][] = [
  ['day', 86_400_000],
  ['hour', 3_600_000],
  ['minute', 60_000],
]

/**
 * "5 minutes ago" / "il y a 5 minutes" / "منذ 5 دقائق"; null under a minute (the caller says
 * "just now"), and for a time in the future (a laptop clock set back): never "in 3 minutes ago".
 */
export function relativeTime(then: number, now: number, language: string): string | null {
  const elapsed = now - then
  if (elapsed < 60_000) return null
  const format = new Intl.RelativeTimeFormat(language, { numeric: 'auto', style: 'long' })
  for (const [unit, ms] of units) {
    if (elapsed >= ms) return format.format(-Math.floor(elapsed / ms), unit)
  }
  return null
}

/** A time later today as "14:05", another day with its date: for "next try at …". */
export function clockTime(at: number, now: number, language: string): string {
  const sameDay = new Date(at).toDateString() === new Date(now).toDateString()
  return new Intl.DateTimeFormat(language, {
    ...(sameDay ? {} : { day: 'numeric', month: 'short' }),
    hour: '2-digit',
    minute: '2-digit',
  }).format(at)
}

/** Which of a conflict's two sides every replica shows now, if either. */
export function winningSide(conflict: SyncConflictView): 'a' | 'b' | null {
  const same = (value: unknown) => JSON.stringify(value ?? null) === JSON.stringify(conflict.current ?? null)
  if (same(conflict.a.value)) return 'a'
  if (same(conflict.b.value)) return 'b'
  return null
}

/** A deletion met an edit: the field path is `#deleted:<the edited key>`. */
export function isDeletionConflict(fieldPath: string): boolean {
  return fieldPath.startsWith('#deleted')
}

/** The question a conflict is about (the edited key of a deletion conflict). */
export function conflictField(fieldPath: string): string {
  return fieldPath.startsWith('#deleted:') ? fieldPath.slice('#deleted:'.length) : fieldPath
}

const uuidLike = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/**
 * Who made a change: HQ's own edits carry the registry's clock node. Laptops author ops with the
 * username (readable); the registry with its user's id, which means nothing to an office: null.
 */
export function authorOf(side: { userId: string; node: string | null; hlc: string }): {
  hq: boolean
  user: string | null
} {
  const hq = side.node === 'registry' || side.hlc.endsWith('-registry')
  return { hq, user: uuidLike.test(side.userId) ? null : side.userId }
}

/** A typed replacement value parsed like the question's current values (numbers stay numbers). */
export function parseTypedValue(text: string, example: unknown): string | string[] | number | boolean | null {
  const trimmed = text.trim()
  if (trimmed === '') return null
  // A multiple choice is stored as its choice names; people type them as ODK shows them, spaced.
  if (Array.isArray(example)) return trimmed.split(/[\s,]+/).filter(Boolean)
  if (typeof example === 'number') {
    const number = Number(trimmed)
    return Number.isFinite(number) ? number : trimmed
  }
  if (typeof example === 'boolean') return trimmed === 'true'
  return text
}

/**
 * Text from data (names, dates, answers) inside a translated sentence, isolated with Unicode
 * FSI/PDI so an Arabic sentence around "root, 11/23/2026" keeps each part in its own direction.
 */
export function isolate(text: string): string {
  return `\u2068${text}\u2069`
}
