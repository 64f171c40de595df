import { stmt } from './statements'
import { AppFailure } from '../../../shared/errors'
import { openAttachment } from '../records/attachments'
import type { SyncContext } from './context'
import { checkCancelled, yieldToOthers } from './context'
import { attachmentStatus, putChunk } from './transport'

export const chunkBytes = 256 * 1024

/**
 * Sends one content-addressed file: asks the registry what it holds (stored, or how far an upload
 * got), then sends the rest in chunks, each appended at the registry's offset; the registry checks
 * the sha256 of the whole before it keeps the file, and the file counts as sent only when the
 * registry answers that it is stored.
 */
async function uploadOne(ctx: SyncContext, sha256: string, size: number): Promise<void> {
  const status = await attachmentStatus(ctx.registry, sha256, ctx.signal)
  if (!status.stored) {
    // Files are encrypted on disk; the reader gives the plaintext the registry checks by sha256.
    const handle = await openAttachment(ctx.dataDir, sha256)
    try {
      let offset = Math.min(status.received, size)
      let stored = false
      do {
        checkCancelled(ctx.signal)
        const length = Math.min(chunkBytes, size - offset)
        const buffer = await handle.read(offset, length)
        const final = offset + length >= size
        const answer = await putChunk(ctx.registry, sha256, offset, buffer, final, ctx.signal)
        stored = answer.stored
        if (!stored && answer.received <= offset) break // no progress: the registry refused it
        offset = answer.received
      } while (!stored && offset < size)
      if (!stored)
        throw new AppFailure('internal', `The registry did not keep the file ${sha256}.`, {
          received: offset,
        })
    } finally {
      await handle.close()
    }
  }
  stmt(ctx.sqlite, 'INSERT OR IGNORE INTO sync_uploads (sha256, uploaded_at) VALUES (?, ?)').run(
    sha256,
    ctx.now(),
  )
}

/**
 * Uploads every attachment the registry does not have yet. A file that fails (missing on disk,
 * refused, cut off) is left for the next run and does not stop the others or the ops.
 */
export async function uploadAttachments(
  ctx: SyncContext,
): Promise<{ uploaded: number; failed: number }> {
  const rows = stmt(
    ctx.sqlite,
    'SELECT DISTINCT a.sha256, a.size FROM attachments a LEFT JOIN sync_uploads u ON u.sha256 = a.sha256 WHERE u.sha256 IS NULL',
  ).all() as { sha256: string; size: number }[]
  let uploaded = 0
  let failed = 0
  for (const row of rows) {
    checkCancelled(ctx.signal)
    try {
      await uploadOne(ctx, row.sha256, row.size)
      uploaded++
    } catch (error) {
      if (ctx.signal?.aborted) throw error
      failed++ // retried on the next run; the queue behind it goes on
    }
    ctx.progress?.({ phase: 'upload', done: uploaded + failed, total: rows.length })
    await yieldToOthers()
  }
  return { uploaded, failed }
}
