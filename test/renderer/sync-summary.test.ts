import { describe, expect, it } from 'vitest'
import type { SyncConflictView, SyncStatus } from '../../shared/api/sync'
import {
  authorOf,
  clockTime,
  conflictField,
  isDeletionConflict,
  parseTypedValue,
  relativeTime,
  summarizeSync,
  toneOf,
  winningSide,
} from '../../renderer/src/screens/sync/sync-summary'

const idle: SyncStatus = {
  enrolled: true,
  registryUrl: 'http://127.0.0.1:1',
  running: false,
  online: true,
  lastSuccessAt: 1_000,
  lastError: null,
  waiting: 0,
  progress: { phase: 'idle', done: 0, total: null },
  conflicts: 0,
  rejections: 0,
  nextAttemptAt: null,
}
const status = (patch: Partial<SyncStatus>): SyncStatus => ({ ...idle, ...patch })

describe('sync status summary', () => {
  it('says a laptop without a registry is not connected, whatever else it holds', () => {
    expect(summarizeSync(status({ enrolled: false, registryUrl: null, waiting: 12 }))).toEqual({
      kind: 'notEnrolled',
    })
  })

  it('shows the phase and counts while a run is going, before an older error', () => {
    const state = summarizeSync(
      status({
        running: true,
        progress: { phase: 'push', done: 500, total: 1200 },
        lastError: { code: 'offline', message: 'x' },
      }),
    )
    expect(state).toEqual({ kind: 'syncing', phase: 'push', done: 500, total: 1200 })
    expect(toneOf(state)).toBe('busy')
  })

  it('tells offline apart from a failure, both with the next try', () => {
    const offline = summarizeSync(
      status({ online: false, lastError: { code: 'offline', message: 'gone' }, nextAttemptAt: 9 }),
    )
    expect(offline).toEqual({ kind: 'offline', nextAttemptAt: 9 })
    expect(toneOf(offline)).toBe('warn')
    const failed = summarizeSync(
      status({ lastError: { code: 'unauthorized', message: 'revoked' }, nextAttemptAt: 10 }),
    )
    expect(failed).toEqual({ kind: 'failed', message: 'revoked', nextAttemptAt: 10 })
    expect(toneOf(failed)).toBe('error')
  })

  it('reports the last success, or that there never was one', () => {
    expect(summarizeSync(idle)).toEqual({ kind: 'synced', at: 1_000 })
    expect(toneOf(summarizeSync(idle))).toBe('ok')
    expect(summarizeSync(status({ lastSuccessAt: null }))).toEqual({ kind: 'never' })
  })
})

describe('relative time', () => {
  const now = Date.UTC(2026, 10, 23, 12, 0, 0)
  it('says nothing under a minute and for a time ahead of the clock', () => {
    expect(relativeTime(now - 59_000, now, 'en')).toBeNull()
    expect(relativeTime(now + 5 * 60_000, now, 'en')).toBeNull()
  })

  it('counts whole minutes, hours and days in the interface language', () => {
    expect(relativeTime(now - 5 * 60_000 - 30_000, now, 'en')).toBe('5 minutes ago')
    expect(relativeTime(now - 3 * 3_600_000, now, 'en')).toBe('3 hours ago')
    expect(relativeTime(now - 24 * 3_600_000, now, 'en')).toBe('yesterday')
    expect(relativeTime(now - 4 * 24 * 3_600_000, now, 'en')).toBe('4 days ago')
    expect(relativeTime(now - 5 * 60_000, now, 'fr')).toBe('il y a 5 minutes')
    expect(relativeTime(now - 5 * 60_000, now, 'ar')).toMatch(/دقائق/)
  })

  it('gives a time today without its date, another day with it', () => {
    const later = new Date(now).setHours(14, 5, 0, 0)
    expect(clockTime(later, now, 'en')).toMatch(/^\d{2}:05( PM)?$/)
    expect(clockTime(later + 2 * 24 * 3_600_000, now, 'en')).toMatch(/Nov/)
  })
})

const side = (value: unknown, node = 'dev-1', userId = 'clerk') => ({
  opId: `op-${String(value)}`,
  value,
  hlc: `000000000001000-00000-${node}`,
  at: 1_000,
  userId,
  node,
})
const conflict = (patch: Partial<SyncConflictView>): SyncConflictView => ({
  id: 'c1',
  recordId: 'r1',
  fieldPath: 'age',
  a: side(31),
  b: side(32, 'registry', 'hq-user'),
  current: 32,
  createdAt: 1,
  record: null,
  ...patch,
})

describe('conflict helpers', () => {
  it('marks the side every replica shows now, or neither after a typed value', () => {
    expect(winningSide(conflict({}))).toBe('b')
    expect(winningSide(conflict({ current: 31 }))).toBe('a')
    expect(winningSide(conflict({ current: 40 }))).toBeNull()
    expect(winningSide(conflict({ a: side(['x', 'y']), current: ['x', 'y'] }))).toBe('a')
  })

  it('names the edited question of a deletion conflict', () => {
    expect(isDeletionConflict('#deleted:head/name')).toBe(true)
    expect(isDeletionConflict('head/name')).toBe(false)
    expect(conflictField('#deleted:head/name')).toBe('head/name')
    expect(conflictField('age')).toBe('age')
  })

  it('recognises HQ by the registry clock node', () => {
    expect(authorOf(side(1, 'registry', 'dm'))).toEqual({ hq: true, user: 'dm' })
    expect(authorOf(side(1, 'dev-9', 'ana'))).toEqual({ hq: false, user: 'ana' })
  })

  it('hides the registry’s user ids, which mean nothing in an office', () => {
    expect(authorOf(side(1, 'registry', '01a2078d-bea3-7328-8b53-da1c21fba8ad'))).toEqual({
      hq: true,
      user: null,
    })
  })

  it('keeps a typed number a number when the question holds numbers', () => {
    expect(parseTypedValue(' 42 ', 31)).toBe(42)
    expect(parseTypedValue('forty', 31)).toBe('forty')
    expect(parseTypedValue('Ana ', 'Ann')).toBe('Ana ')
    expect(parseTypedValue('  ', 'Ann')).toBeNull()
    expect(parseTypedValue('well, river  tap', ['well'])).toEqual(['well', 'river', 'tap'])
  })
})
