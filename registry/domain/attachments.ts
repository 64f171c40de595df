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
  const upload = await db
    .selectFrom('attachment_uploads')
    .select(sql<string>`length(bytes)`.as('n'))
    .where('sha256', '=', sha256)
    .where('device_id', '=', device.deviceId)
    .executeTakeFirst()
  return { stored: false, received: Number(upload?.n ?? 0) }
}

/**
 * Appends a chunk at `offset`, which must be where the upload stands (a retried chunk that already
 * landed is acknowledged without being added twice). When `final`, the whole is checked against
 * its name and only then stored; a mismatch discards the upload so the device starts over.
 */
export async function putAttachmentChunk(
  db: RegistryDb,
  device: DeviceActor,
  input: { sha256: string; offset: number; bytes: Uint8Array; final: boolean },
): Promise<{ stored: boolean; received: number }> {
  checkSha(input.sha256)
  // Joins the caller's transaction when there is one: a USB package applies all its batches in one.
  const run = <T>(work: (trx: RegistryDb) => Promise<T>): Promise<T> =>
    db.isTransaction ? work(db) : db.transaction().execute(work)
  return run(async (trx) => {
    await trx
      .insertInto('attachment_uploads')
      .values({ sha256: input.sha256, device_id: device.deviceId })
      .onConflict((oc) => oc.doNothing())
      .execute()
    const row = await trx
      .selectFrom('attachment_uploads')
      .select('bytes')
      .where('sha256', '=', input.sha256)
      .where('device_id', '=', device.deviceId)
      .forUpdate()
      .executeTakeFirstOrThrow()
    let bytes = Buffer.from(row.bytes)
    if (input.offset === bytes.length) bytes = Buffer.concat([bytes, input.bytes])
    else if (input.offset + input.bytes.length !== bytes.length) {
      throw new AppFailure(
        'conflict',
        'The upload is at another offset; ask where it stands and resume from there.',
        { received: bytes.length },
      )
    }
    if (!input.final) {
      await trx
        .updateTable('attachment_uploads')
        .set({ bytes, updated_at: sql`now()` })
        .where('sha256', '=', input.sha256)
        .where('device_id', '=', device.deviceId)
        .execute()
      return { stored: false, received: bytes.length }
    }
    await trx
      .deleteFrom('attachment_uploads')
      .where('sha256', '=', input.sha256)
      .where('device_id', '=', device.deviceId)
      .execute()
    if (createHash('sha256').update(bytes).digest('hex') !== input.sha256) {
      throw new AppFailure(
        'validation',
        'The uploaded file does not match its sha256; it was discarded. Send it again.',
      )
    }
    await trx
      .insertInto('attachment_blobs')
      .values({ sha256: input.sha256, size: bytes.length, bytes, office_id: device.officeId })
      .onConflict((oc) => oc.column('sha256').doNothing())
      .execute()
    return { stored: true, received: bytes.length }
  })
}
