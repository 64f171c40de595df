import { stmt } from './statements'
import { AppFailure } from '../../../shared/errors'
import { splitBatches } from '../../../shared/sync/batch'
import type { SyncOp } from '../../../shared/sync/ops'
import type { SyncContext } from './context'
import { checkCancelled, yieldToOthers } from './context'
import type { OpRow } from './local-ops'
import { countPending, pendingOps, toSyncOp } from './local-ops'
import { readNumber, writeState } from './state'
import { encodePush, pushBatch, sendPush } from './transport'

/** Answers that mean "this content is refused", as opposed to "not now": resending will not help. */
const refusedCodes = new Set(['validation', 'forbidden', 'not_found', 'conflict'])
const isRefusal = (error: unknown): error is AppFailure =>
  error instanceof AppFailure && refusedCodes.has(error.code)

/**
 * Moves the push cursor past a batch. Its own transaction, after the registry's acknowledgement:
 * a crash before it re-sends the batch, which the registry takes as duplicates (idempotent by op
 * id); the cursor is never written before the acknowledgement, so no op is ever skipped.
 */
function acknowledge(ctx: SyncContext, lastSeq: number, acked: number, index: number): void {
  ctx.faults?.beforePushCursor?.(index)
  ctx.sqlite.transaction(() => {
    writeState(ctx.sqlite, 'push_seq', String(lastSeq), ctx.now())
    writeState(
      ctx.sqlite,
      'acked_ops',
      String(readNumber(ctx.sqlite, 'acked_ops') + acked),
      ctx.now(),
    )
  })()
}

function reject(ctx: SyncContext, ops: readonly SyncOp[], error: AppFailure): void {
  const insert = stmt(
    ctx.sqlite,
    'INSERT OR IGNORE INTO sync_rejections (op_id, record_id, code, message, rejected_at) VALUES (?, ?, ?, ?, ?)',
  )
  ctx.sqlite.transaction(() => {
    for (const op of ops) insert.run(op.opId, op.recordId, error.code, error.message, ctx.now())
  })()
}

/**
 * A refused batch is re-sent one record at a time, so that one record the registry will not take
 * (another office's, a form it does not know) is set aside as a rejection and everything queued
 * behind it still goes. Returns how many ops the registry now holds.
 */
async function pushRefused(ctx: SyncContext, ops: readonly SyncOp[]): Promise<number> {
  let acked = 0
  const byRecord = new Map<string, SyncOp[]>()
  for (const op of ops) byRecord.set(op.recordId, [...(byRecord.get(op.recordId) ?? []), op])
  for (const group of byRecord.values()) {
    try {
      await pushBatch(ctx.registry, group, ctx.signal)
      acked += group.length
    } catch (error) {
      if (!isRefusal(error)) throw error
      reject(ctx, group, error)
    }
  }
  return acked
}

type Prepared = { ops: SyncOp[]; lastSeq: number; body: Promise<Uint8Array<ArrayBuffer>> }

/** The batch after `afterSeq`, read and being compressed; null when nothing waits. */
function prepare(ctx: SyncContext, afterSeq: number): Prepared | null {
  const rows: OpRow[] = pendingOps(ctx.sqlite, ctx.selfId, afterSeq, ctx.limits.maxOps)
  if (rows.length === 0) return null
  const batch =
    splitBatches(
      rows,
      ctx.limits,
      (row) => (row.new_value?.length ?? 0) + (row.old_value?.length ?? 0) + 300,
    )[0] ?? []
  const ops = batch.map(toSyncOp)
  const body = encodePush(ops)
  // A batch prepared ahead is dropped unsent when the one before it fails; its error is moot.
  body.catch(() => undefined)
  return { ops, lastSeq: batch.at(-1)?.seq ?? afterSeq, body }
}

/**
 * Pushes every local op after the cursor, one acknowledged batch at a time. While the registry
 * stores a batch, the next one is read and compressed (nothing of it is sent, and the cursor
 * moves only past an acknowledged batch), so a dropped link still re-sends at most one batch.
 */
export async function pushAll(ctx: SyncContext): Promise<number> {
  let sent = 0
  let index = 0
  const total = countPending(ctx.sqlite, ctx.selfId, readNumber(ctx.sqlite, 'push_seq'))
  let current = prepare(ctx, readNumber(ctx.sqlite, 'push_seq'))
  while (current) {
    checkCancelled(ctx.signal)
    const sending = sendPush(ctx.registry, await current.body, ctx.signal)
    // Awaited just below; a rejection must not count as unhandled while the next is read.
    sending.catch(() => undefined)
    // The next batch is read once this one's request is on its way: read first, it held the
    // request back by the time it took (tens of ms a batch of 1,000).
    await new Promise((resolve) => setImmediate(resolve))
    const next = prepare(ctx, current.lastSeq)
    let acked: number
    try {
      await sending
      acked = current.ops.length
    } catch (error) {
      if (!isRefusal(error)) throw error
      acked = await pushRefused(ctx, current.ops)
    }
    acknowledge(ctx, current.lastSeq, acked, index++)
    sent += current.ops.length
    ctx.progress?.({ phase: 'push', done: sent, total })
    await yieldToOthers()
    current = next
  }
  return sent
}
