import { createHash } from 'node:crypto'
import { sql } from 'kysely'
import { AppFailure } from '../../shared/errors'
import type { RegistryDb } from '../db/database'
import type { DeviceActor } from './actors'

const shaPattern = /^[0-9a-f]{64}$/

function checkSha(sha256: string): void {
  if (!shaPattern.test(sha256))
    throw new AppFailure(
      'validation',
      'An attachment is named by the sha256 of its bytes (64 hex digits).',
    )
}

/** Whether the blob is stored, else how many bytes of an unfinished upload are (to resume from). */
export async function attachmentStatus(
  db: RegistryDb,
  device: DeviceActor,
  sha256: string,
): Promise<{ stored: boolean; received: number }> {
  checkSha(sha256)
  const blob = await db
    .selectFrom('attachment_blobs')
    .select('sha256')
    .where('sha256', '=', sha256)
    .executeTakeFirst()
  if (blob) return { stored: true, received: 0 }
  // Raw SQL here and below: the column and the chunks table (migration 0007) are this module's alone.
  const upload = await sql<{ n: string }>`
    SELECT received::text AS n FROM attachment_uploads
    WHERE sha256 = ${sha256} AND device_id = ${device.deviceId}`.execute(db)
  return { stored: false, received: Number(upload.rows[0]?.n ?? 0) }
}

/**
 * Appends a chunk at `offset`, which must be where the upload stands (a retried chunk that already
 * landed is acknowledged without being added twice). Each chunk is one row of its own, so a chunk
 * costs its size, whatever has arrived before it. When `final`, the chunks are read back in order,
 * their sha256 checked against the name, and only then the whole is stored; a mismatch discards
 * the upload so the device starts over.
 */
export async function putAttachmentChunk(
  db: RegistryDb,
  device: DeviceActor,
  input: { sha256: string; offset: number; bytes: Uint8Array; final: boolean },
): Promise<{ stored: boolean; received: number }> {
  checkSha(input.sha256)
  const { sha256 } = input
  const { deviceId } = device
  // Joins the caller's transaction when there is one: a USB package applies all its batches in one.
  const run = <T>(work: (trx: RegistryDb) => Promise<T>): Promise<T> =>
    db.isTransaction ? work(db) : db.transaction().execute(work)
  const mismatch = new AppFailure(
    'validation',
    'The uploaded file does not match its sha256; it was discarded. Send it again.',
  )
  const result = await run(async (trx) => {
    await trx
      .insertInto('attachment_uploads')
      .values({ sha256, device_id: deviceId })
      .onConflict((oc) => oc.doNothing())
      .execute()
    const row = await sql<{ received: string }>`
      SELECT received::text AS received FROM attachment_uploads
      WHERE sha256 = ${sha256} AND device_id = ${deviceId} FOR UPDATE`.execute(trx)
    let received = Number(row.rows[0]?.received ?? 0)
    if (input.offset === received && input.bytes.length > 0) {
      await sql`
        INSERT INTO attachment_upload_chunks (sha256, device_id, "offset", bytes)
        VALUES (${sha256}, ${deviceId}, ${received}, ${Buffer.from(input.bytes)})`.execute(trx)
      received += input.bytes.length
      await sql`
        UPDATE attachment_uploads SET received = ${received}, updated_at = now()
        WHERE sha256 = ${sha256} AND device_id = ${deviceId}`.execute(trx)
    } else if (input.offset + input.bytes.length !== received) {
      throw new AppFailure(
        'conflict',
        'The upload is at another offset; ask where it stands and resume from there.',
        { received },
      )
    }
    if (!input.final) return { stored: false, received }
    const chunks = await sql<{ bytes: Uint8Array }>`
      SELECT bytes FROM attachment_upload_chunks
      WHERE sha256 = ${sha256} AND device_id = ${deviceId} ORDER BY "offset"`.execute(trx)
    const bytes = Buffer.concat(chunks.rows.map((chunk) => Buffer.from(chunk.bytes)))
    await sql`
      DELETE FROM attachment_upload_chunks
      WHERE sha256 = ${sha256} AND device_id = ${deviceId}`.execute(trx)
    await trx
      .deleteFrom('attachment_uploads')
      .where('sha256', '=', sha256)
      .where('device_id', '=', deviceId)
      .execute()
    if (createHash('sha256').update(bytes).digest('hex') !== sha256) {
      // In the caller's transaction the caller's rollback discards it; alone, the discard commits
      // first (a throw here would roll it back and leave the bad upload to be finished forever).
      if (db.isTransaction) throw mismatch
      return null
    }
    await trx
      .insertInto('attachment_blobs')
      .values({ sha256, size: bytes.length, bytes, office_id: device.officeId })
      .onConflict((oc) => oc.column('sha256').doNothing())
      .execute()
    return { stored: true, received: bytes.length }
  })
  if (!result) throw mismatch
  return result
}
