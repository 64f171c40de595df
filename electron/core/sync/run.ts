import { stmt } from './statements'
import type { SyncContext } from './context'
import { pullAll } from './pull'
import { pushAll } from './push'
import { refreshRegisters } from './registers'
import { readNumber, readState, writeState } from './state'
import { readSyncState } from './transport'
import { uploadAttachments } from './upload'

export type RunResult = {
  pushed: number
  pulled: number
  uploaded: number
  uploadFailures: number
  reconciled: boolean
}

function feedPosition(cursor: string): [bigint, bigint] {
  const [txid, id] = cursor.split(':')
  return cursor === '' ? [0n, 0n] : [BigInt(txid ?? '0'), BigInt(id ?? '0')]
}

function cursorAfter(a: string, b: string): boolean {
  const [x, y] = [feedPosition(a), feedPosition(b)]
  return x[0] > y[0] || (x[0] === y[0] && x[1] > y[1])
}

/**
 * A registry that holds fewer of this laptop's ops than it acknowledged, or whose feed ends
 * before this laptop's cursor, was restored from an older backup. Both cursors go back to the
 * start: every op is offered again (duplicates are harmless) and the feed is read again from the
 * beginning (ops apply once by id), so nothing the backup lost is silently skipped.
 */
async function checkEpoch(ctx: SyncContext): Promise<boolean> {
  const remote = await readSyncState(ctx.registry, ctx.signal)
  const acked = readNumber(ctx.sqlite, 'acked_ops')
  const cursor = readState(ctx.sqlite, 'pull_cursor') ?? ''
  if (remote.deviceOps >= acked && !cursorAfter(cursor, remote.feedHead)) return false
  ctx.sqlite.transaction(() => {
    writeState(ctx.sqlite, 'push_seq', '0', ctx.now())
    writeState(ctx.sqlite, 'acked_ops', '0', ctx.now())
    writeState(ctx.sqlite, 'pull_cursor', '', ctx.now())
    stmt(ctx.sqlite, 'DELETE FROM sync_uploads').run()
  })()
  return true
}

/** One sync: detect a restored registry, upload files, push ops, pull the feed. */
export async function runSync(ctx: SyncContext): Promise<RunResult> {
  const reconciled = await checkEpoch(ctx)
  const files = await uploadAttachments(ctx)
  const pushed = await pushAll(ctx)
  const pulled = await pullAll(ctx)
  await refreshRegisters(ctx)
  writeState(ctx.sqlite, 'last_success_at', String(ctx.now()), ctx.now())
  return { pushed, pulled, uploaded: files.uploaded, uploadFailures: files.failed, reconciled }
}
