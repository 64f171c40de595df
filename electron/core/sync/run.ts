import { stmt } from './statements'
import type { SyncContext } from './context'
import { checkCancelled, yieldToOthers } from './context'
import type { OpRow } from './local-ops'
import { toSyncOp } from './local-ops'
import { pullAll } from './pull'
import { pushAll } from './push'
import { refreshRegisters } from './registers'
import { readNumber, readState, writeState } from './state'
import { readSyncState, relayOps } from './transport'
import { uploadAttachments } from './upload'

export type RunResult = {
  pushed: number
  pulled: number
  uploaded: number
  uploadFailures: number
  /** Why this run reconciled in full with a restored registry, or null. */
  reconciled: ReconcileReason | null
  /** HQ ops handed back to a restored registry. */
  relayed: number
}

/**
 * What showed that the registry is not the one this laptop last synced with:
 * - `epoch`: its epoch id changed (an admin rotated it after restoring a backup);
 * - `ops`: it holds fewer of this laptop's ops than it acknowledged;
 * - `feed-behind`: its feed ends before this laptop's cursor;
 * - `feed-rewritten`: the row at this laptop's cursor is not the one it read there (a restored
 *   registry reuses transaction and row ids, so its feed can grow past the cursor with new rows).
 */
export type ReconcileReason = 'epoch' | 'ops' | 'feed-behind' | 'feed-rewritten'

function feedPosition(cursor: string): [bigint, bigint] {
  const [txid, id] = cursor.split(':')
  return cursor === '' ? [0n, 0n] : [BigInt(txid ?? '0'), BigInt(id ?? '0')]
}

function cursorAfter(a: string, b: string): boolean {
  const [x, y] = [feedPosition(a), feedPosition(b)]
  return x[0] > y[0] || (x[0] === y[0] && x[1] > y[1])
}

/**
 * Compares what the registry says with what this laptop knows of it (docs/sync.md, step 1). On
 * any sign of a restored registry both cursors go back to the start, the upload ledger is
 * cleared and HQ ops are marked to be handed back: every op is offered again (duplicates are
 * harmless), the feed is read again from the beginning (ops apply once by id), and the reconcile
 * is recorded (`last_reconcile_at`, shown by sync.status). Nothing is skipped silently.
 */
async function checkEpoch(ctx: SyncContext): Promise<ReconcileReason | null> {
  const cursor = readState(ctx.sqlite, 'pull_cursor') ?? ''
  const remote = await readSyncState(ctx.registry, cursor, ctx.signal)
  const acked = readNumber(ctx.sqlite, 'acked_ops')
  const epoch = readState(ctx.sqlite, 'registry_epoch')
  const mark = readState(ctx.sqlite, 'pull_mark')
  const reason: ReconcileReason | null =
    remote.epoch !== undefined && epoch !== undefined && remote.epoch !== epoch
      ? 'epoch'
      : remote.deviceOps < acked
        ? 'ops'
        : cursorAfter(cursor, remote.feedHead)
          ? 'feed-behind'
          : cursor !== '' && mark && remote.mark !== undefined && remote.mark !== mark
            ? 'feed-rewritten'
            : null
  ctx.sqlite.transaction(() => {
    const now = ctx.now()
    if (remote.epoch !== undefined) writeState(ctx.sqlite, 'registry_epoch', remote.epoch, now)
    // A laptop that synced before marks existed learns the mark of its cursor now.
    if (!reason && cursor !== '' && !mark && remote.mark)
      writeState(ctx.sqlite, 'pull_mark', remote.mark, now)
    if (!reason) return
    writeState(ctx.sqlite, 'push_seq', '0', now)
    writeState(ctx.sqlite, 'acked_ops', '0', now)
    writeState(ctx.sqlite, 'pull_cursor', '', now)
    writeState(ctx.sqlite, 'pull_mark', '', now)
    writeState(ctx.sqlite, 'relay_pending', '1', now)
    writeState(ctx.sqlite, 'last_reconcile_at', String(now), now)
    writeState(ctx.sqlite, 'last_reconcile_reason', reason, now)
    stmt(ctx.sqlite, 'DELETE FROM sync_uploads').run()
  })()
  return reason
}

const relayBatch = 500

/**
 * Hands every HQ op this laptop holds back to a restored registry, which takes those it lost and
 * can prove are its own (registry/domain/hq-ops.ts). Until every one has a record to land on (a
 * record created after the backup comes back when its device pushes it again), the next run
 * offers them again.
 */
async function relayHqOps(ctx: SyncContext): Promise<number> {
  if (readState(ctx.sqlite, 'relay_pending') !== '1') return 0
  let after = ''
  let accepted = 0
  let deferred = 0
  for (;;) {
    checkCancelled(ctx.signal)
    const rows = stmt(
      ctx.sqlite,
      `SELECT o.id, o.seq, o.record_id, o.field_path, o.kind, o.old_value, o.new_value, o.hlc,
         o.device_id, o.user_id, m.base_hlc, m.seen, m.resolves, m.kind AS meta_kind,
         r.form_version_id
       FROM record_ops o JOIN records r ON r.id = o.record_id
       LEFT JOIN sync_op_meta m ON m.op_id = o.id
       WHERE o.device_id = 'registry' AND o.id > ? ORDER BY o.id LIMIT ?`,
    ).all(after, relayBatch) as OpRow[]
    if (rows.length === 0) break
    const answer = await relayOps(ctx.registry, rows.map(toSyncOp), ctx.signal)
    accepted += answer.accepted
    deferred += answer.deferred
    after = rows.at(-1)?.id ?? after
    await yieldToOthers()
  }
  if (deferred === 0) writeState(ctx.sqlite, 'relay_pending', '0', ctx.now())
  return accepted
}

/** One sync: detect a restored registry, upload files, push ops, hand back HQ's, pull the feed. */
export async function runSync(ctx: SyncContext): Promise<RunResult> {
  const reconciled = await checkEpoch(ctx)
  const files = await uploadAttachments(ctx)
  const pushed = await pushAll(ctx)
  const relayed = await relayHqOps(ctx)
  const pulled = await pullAll(ctx)
  await refreshRegisters(ctx)
  writeState(ctx.sqlite, 'last_success_at', String(ctx.now()), ctx.now())
  return {
    pushed,
    pulled,
    uploaded: files.uploaded,
    uploadFailures: files.failed,
    reconciled,
    relayed,
  }
}
