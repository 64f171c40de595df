import { createHash, randomUUID } from 'node:crypto'
import { mkdir, open, rename, rm, stat } from 'node:fs/promises'
import { dirname, join, resolve } from 'node:path'
import { uuidv7 } from 'uuidv7'
import type { AttachmentInfo } from '../../../shared/api'
import { AppFailure } from '../../../shared/errors'
import { syncDir } from '../db/durable'
import type { Store } from '../db/open'
import { attachmentKeyOf, encryptedSize, readerFor, writeEncrypted, type BlobReader } from './blob-crypto'
import { applyFieldChanges, loadForChange, type Actor } from './ops'

export type NewAttachment = { recordId: string; fieldPath: string; fileName: string; mediaType: string; bytes: Uint8Array }

/** Content-addressed: attachments/aa/bb/<sha256>, two levels so no folder holds millions of files. */
export function attachmentPath(dataDir: string, sha256: string): string {
  return join(dataDir, 'attachments', sha256.slice(0, 2), sha256.slice(2, 4), sha256)
}

/**
 * The attachment key of each open data folder, set when its store opens with the data key and
 * dropped when it closes. Sync upload and packages read files through `openAttachment` with the
 * folder alone, so the key never has to travel through their code.
 */
const keys = new Map<string, Buffer>()

export function setAttachmentKey(dataDir: string, dataKey: Uint8Array): void {
  keys.set(resolve(dataDir), attachmentKeyOf(dataKey))
}

export function forgetAttachmentKey(dataDir: string): void {
  keys.get(resolve(dataDir))?.fill(0)
  keys.delete(resolve(dataDir))
}

function keyFor(dataDir: string): Buffer {
  const key = keys.get(resolve(dataDir))
  if (!key) throw new AppFailure('unauthorized', 'Sign in to continue.')
  return key
}

async function exists(file: string, size: number): Promise<boolean> {
  try {
    return (await stat(file)).size === size
  } catch {
    return false // absent: the caller writes it
  }
}

/**
 * Writes bytes into the store, encrypted, and returns the hash of the plaintext (what sync and
 * packages address files by). Temp file, fsync, rename, fsync of the folder: the final name only
 * ever points at complete, durable content, so a record committed after this returns can never
 * reference a half-written file. Identical content is stored once.
 */
export async function storeBlob(dataDir: string, bytes: Uint8Array): Promise<{ sha256: string; size: number }> {
  const key = keyFor(dataDir)
  const sha256 = createHash('sha256').update(bytes).digest('hex')
  const final = attachmentPath(dataDir, sha256)
  if (await exists(final, encryptedSize(bytes.length))) return { sha256, size: bytes.length }
  const dir = dirname(final)
  const created = await mkdir(dir, { recursive: true })
  if (created !== undefined) for (let d = dir; d.length >= created.length; d = dirname(d)) await syncDir(dirname(d))
  const temp = `${final}.${randomUUID()}.tmp`
  try {
    const handle = await open(temp, 'wx', 0o600)
    try {
      await writeEncrypted(handle, key, bytes)
      await handle.sync()
    } finally {
      await handle.close()
    }
    await rename(temp, final)
  } catch (error) {
    await rm(temp, { force: true })
    throw error
  }
  await syncDir(dir)
  return { sha256, size: bytes.length }
}

/**
 * The one way to read an attachment's plaintext (sync upload, packages, the screen): random
 * access by plaintext offset, each chunk authenticated as it is read.
 */
export async function openAttachment(dataDir: string, sha256: string): Promise<BlobReader> {
  const key = keyFor(dataDir)
  const handle = await open(attachmentPath(dataDir, sha256), 'r')
  try {
    return await readerFor(handle, key)
  } catch (error) {
    await handle.close()
    throw error
  }
}

/**
 * Stores a file for a record's question: bytes first (durably), then in one transaction the
 * reference row and the question's value (the file name, as ODK keeps it) with its op. A crash
 * in between leaves at worst an unreferenced file, never a reference to a missing one.
 */
export async function addAttachment(store: Store, actor: Actor, dataDir: string, input: NewAttachment): Promise<AttachmentInfo> {
  await store.db.transaction().execute((trx) => loadForChange(trx, input.recordId)) // refuse before writing bytes
  const blob = await storeBlob(dataDir, input.bytes)
  const row = {
    id: uuidv7(),
    record_id: input.recordId,
    field_path: input.fieldPath,
    sha256: blob.sha256,
    size: blob.size,
    media_type: input.mediaType,
    file_name: input.fileName,
    created_by: actor.userId,
    created_at: (actor.now ?? Date.now)(),
  }
  await store.db.transaction().execute(async (trx) => {
    await trx.insertInto('attachments').values(row).execute()
    await applyFieldChanges(trx, actor, input.recordId, [{ path: input.fieldPath, value: input.fileName }])
  })
  return {
    id: row.id,
    fieldPath: row.field_path,
    fileName: row.file_name,
    mediaType: row.media_type,
    size: row.size,
    sha256: row.sha256,
    createdAt: row.created_at,
  }
}

/**
 * One attachment of a record with its plaintext, for the record's detail view: looked up by the
 * record and the attachment together (an id of another record's file is not found), read and
 * authenticated chunk by chunk through `openAttachment`.
 */
export async function readAttachment(store: Store, dataDir: string, recordId: string, attachmentId: string): Promise<AttachmentInfo & { bytes: Buffer }> {
  const row = await store.db
    .selectFrom('attachments')
    .select(['id', 'field_path', 'file_name', 'media_type', 'size', 'sha256', 'created_at'])
    .where('id', '=', attachmentId)
    .where('record_id', '=', recordId)
    .executeTakeFirst()
  if (!row) throw new AppFailure('not_found', 'That file is not attached to this record on this laptop; reopen the record.')
  let reader: BlobReader
  try {
    reader = await openAttachment(dataDir, row.sha256)
  } catch (error) {
    if ((error as { code?: string }).code === 'ENOENT') {
      throw new AppFailure('not_found', `The file ${row.file_name} is missing from this laptop's attachment folder. A sync or a package import brings it back.`)
    }
    throw error
  }
  try {
    const bytes = await reader.readAll()
    return { id: row.id, fieldPath: row.field_path, fileName: row.file_name, mediaType: row.media_type, size: row.size, sha256: row.sha256, createdAt: row.created_at, bytes }
  } finally {
    await reader.close()
  }
}
