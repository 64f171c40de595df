import type { CallName } from '../../../../shared/api'

type Pending = ReadonlyArray<{ name: CallName; done: Promise<unknown> }>

/** Calls that save what someone typed: a lock must not cut them off. */
const savingCalls: ReadonlySet<CallName> = new Set<CallName>([
  'records.create',
  'records.update',
  'records.setStatus',
  'records.addAttachment',
  'records.delete',
  'records.restore',
  'records.restoreField',
])

const nextTask = () => new Promise<void>((resolve) => setTimeout(resolve, 0))
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, Math.max(0, ms)))

/**
 * Waits until no save is on its way to the core, at most `maxMs`. Each round first lets one task
 * run, because a screen closing for the lock starts its last save then (and a save queued behind
 * another starts only once that one is answered). Other calls (a long sync, an export) are not
 * waited for.
 */
export async function settleWrites(
  pending: () => Pending,
  maxMs = 5000,
  now: () => number = Date.now,
): Promise<void> {
  const deadline = now() + maxMs
  for (;;) {
    await nextTask()
    const writes = pending().filter((call) => savingCalls.has(call.name))
    if (writes.length === 0 || now() >= deadline) return
    await Promise.race([
      Promise.allSettled(writes.map((call) => call.done)),
      sleep(deadline - now()),
    ])
  }
}
