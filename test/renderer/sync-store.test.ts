import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { CallName, OutpostApi } from '../../shared/api'
import type { SyncStatus } from '../../shared/api/sync'
import { AppFailure, toAppError } from '../../shared/errors'
import { setApi } from '../../renderer/src/api/outpost'
import { useSyncStore } from '../../renderer/src/stores/use-sync-store'

const status = (patch: Partial<SyncStatus> = {}): SyncStatus => ({
  enrolled: true,
  registryUrl: 'http://127.0.0.1:1',
  running: false,
  online: true,
  lastSuccessAt: 1,
  lastError: null,
  waiting: 0,
  progress: { phase: 'idle', done: 0, total: null },
  conflicts: 0,
  rejections: 0,
  nextAttemptAt: null,
  ...patch,
})

/** A core that answers from a table and lets the test send its sync.progress events. */
function fakeCore(answers: Partial<Record<CallName, (input: unknown) => unknown>>) {
  const calls: { name: string; input: unknown }[] = []
  const listeners = new Set<(payload: SyncStatus) => void>()
  const api: OutpostApi = {
    invoke: (name, input) => {
      calls.push({ name, input })
      const answer = answers[name]
      if (!answer) return Promise.resolve({ ok: false, error: { code: 'internal', message: `no ${name}` } })
      try {
        return Promise.resolve({ ok: true, value: answer(input) as never })
      } catch (error) {
        return Promise.resolve({ ok: false, error: toAppError(error) })
      }
    },
    on: (_name, listener) => {
      listeners.add(listener as (payload: SyncStatus) => void)
      return () => listeners.delete(listener as (payload: SyncStatus) => void)
    },
  }
  setApi(api)
  return { calls, listeners, send: (payload: SyncStatus) => listeners.forEach((l) => l(payload)) }
}

const named = (calls: { name: string }[], name: string) => calls.filter((c) => c.name === name).length

describe('the sync store', () => {
  beforeEach(() => {
    vi.useFakeTimers()
    useSyncStore.setState({ status: null, conflicts: [], conflictsOf: undefined, enrollError: null })
  })
  afterEach(() => vi.useRealTimers())

  it('follows the core once however many screens follow it, and stops when the last one leaves', async () => {
    const core = fakeCore({ 'sync.status': () => status({ waiting: 3 }), 'sync.conflicts': () => [] })
    const stopLine = useSyncStore.getState().follow()
    const stopScreen = useSyncStore.getState().follow()
    expect(core.listeners.size).toBe(1)
    await vi.advanceTimersByTimeAsync(0)
    expect(useSyncStore.getState().status?.waiting).toBe(3)
    await vi.advanceTimersByTimeAsync(5_000)
    expect(named(core.calls, 'sync.status')).toBe(2) // the first read, then the poll that catches edits
    stopLine()
    expect(core.listeners.size).toBe(1)
    stopScreen()
    expect(core.listeners.size).toBe(0)
    await vi.advanceTimersByTimeAsync(20_000)
    expect(named(core.calls, 'sync.status')).toBe(2)
  })

  it('reloads the conflicts when a sync changes their number, for the record the screen shows', async () => {
    const core = fakeCore({ 'sync.status': () => status(), 'sync.conflicts': () => [] })
    const stop = useSyncStore.getState().follow()
    await useSyncStore.getState().showConflicts('rec-1')
    const before = named(core.calls, 'sync.conflicts')
    core.send(status({ conflicts: 2 }))
    core.send(status({ conflicts: 2 }))
    await vi.advanceTimersByTimeAsync(0)
    expect(named(core.calls, 'sync.conflicts')).toBe(before + 1)
    expect(core.calls.filter((c) => c.name === 'sync.conflicts').at(-1)?.input).toEqual({ recordId: 'rec-1' })
    expect(useSyncStore.getState().status?.conflicts).toBe(2)
    stop()
  })

  it('keeps an enrollment refusal for the form to show, and clears it on the next try', async () => {
    fakeCore({
      'sync.enroll': () => {
        throw new AppFailure('unauthorized', 'This enrollment code is not valid.')
      },
      'sync.status': () => status({ enrolled: false }),
    })
    const input = { registryUrl: 'http://127.0.0.1:1', code: 'WRONG-1', deviceName: 'Laptop' }
    expect(await useSyncStore.getState().enroll(input)).toBe(false)
    expect(useSyncStore.getState().enrollError).toMatchObject({ code: 'unauthorized' })
    fakeCore({ 'sync.enroll': () => ({ deviceId: 'd', officeId: 'o' }), 'sync.status': () => status() })
    expect(await useSyncStore.getState().enroll(input)).toBe(true)
    expect(useSyncStore.getState().enrollError).toBeNull()
    expect(useSyncStore.getState().status?.enrolled).toBe(true)
  })
})
