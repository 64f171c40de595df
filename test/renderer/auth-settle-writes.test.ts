import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { CallName } from '../../shared/api'
import { settleWrites } from '../../renderer/src/screens/auth/settle-writes'

type Call = { name: CallName; done: Promise<unknown> }

function deferred() {
  let resolve: () => void = () => undefined
  const done = new Promise<void>((r) => (resolve = r))
  return { done, resolve }
}

describe('before locking, the last saves', () => {
  beforeEach(() => vi.useFakeTimers())
  afterEach(() => vi.useRealTimers())

  it('are waited for, including one queued behind another', async () => {
    const pending = new Set<Call>()
    const first = deferred()
    const second = deferred()
    const firstCall = { name: 'records.update' as const, done: first.done }
    pending.add(firstCall)
    let settled = false
    void settleWrites(() => [...pending]).then(() => (settled = true))
    await vi.advanceTimersByTimeAsync(1000)
    expect(settled).toBe(false)
    // The first save is answered; the one queued behind it starts in the same turn.
    pending.delete(firstCall)
    const secondCall = { name: 'records.update' as const, done: second.done }
    pending.add(secondCall)
    first.resolve()
    await vi.advanceTimersByTimeAsync(1000)
    expect(settled).toBe(false)
    pending.delete(secondCall)
    second.resolve()
    await vi.advanceTimersByTimeAsync(1)
    expect(settled).toBe(true)
  })

  it('are not waited for beyond the limit, and other calls are never waited for', async () => {
    const never = new Promise(() => undefined)
    let settled = false
    void settleWrites(() => [{ name: 'records.create', done: never }], 5000).then(
      () => (settled = true),
    )
    await vi.advanceTimersByTimeAsync(4999)
    expect(settled).toBe(false)
    await vi.advanceTimersByTimeAsync(2)
    expect(settled).toBe(true)

    let syncSettled = false
    void settleWrites(() => [{ name: 'sync.now', done: never }]).then(() => (syncSettled = true))
    await vi.advanceTimersByTimeAsync(1)
    expect(syncSettled).toBe(true)
  })
})
