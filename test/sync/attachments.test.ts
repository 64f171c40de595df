import { randomBytes } from 'node:crypto'
import { sql } from 'kysely'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { addAttachment } from '../../electron/core/records/attachments'
import { chunkBytes } from '../../electron/core/sync/upload'
import { putAttachmentChunk } from '../../registry/domain/attachments'
import { expectConverged } from './helpers/assert'
import type { World } from './helpers/world'
import { makeWorld } from './helpers/world'

async function uploadedChunks(world: World, sha256: string): Promise<number> {
  const rows = await sql<{ n: string }>`
    SELECT count(*)::text AS n FROM attachment_upload_chunks WHERE sha256 = ${sha256}`.execute(
    world.registry.db,
  )
  return Number(rows.rows[0]?.n ?? 0)
}

describe('attachment uploads', () => {
  let world: World
  beforeAll(async () => {
    world = await makeWorld()
  })
  afterAll(async () => {
    await world.close()
  })
  afterEach(() => {
    world.proxy.clear()
  })

  it('appends a 20 MB file chunk by chunk, resumes after a cut from the registry offset, and checks the whole', async () => {
    const a = await world.laptop('big-file')
    const id = await a.create({ name: 'with a video' })
    const size = 20 * 1024 * 1024
    const bytes = randomBytes(size)
    const file = await addAttachment(a.store, a.actor, a.dir, {
      recordId: id,
      fieldPath: 'photo',
      fileName: 'v.mp4',
      mediaType: 'video/mp4',
      bytes,
    })
    const chunks = size / chunkBytes
    const cutAt = 37 // the 38th chunk is cut mid-request
    world.proxy.arm({
      kind: 'cutRequest',
      bytes: chunkBytes / 2,
      match: `/v1/device/attachments/${file.sha256}?`,
      skip: cutAt,
    })
    await a.client.syncNow()
    expect(world.proxy.fired()).toBeGreaterThan(0)
    // The chunks before the cut are kept on the registry, one row each; nothing is stored yet.
    expect(await uploadedChunks(world, file.sha256)).toBe(cutAt)
    const status = await world.registry.db
      .selectFrom('attachment_blobs')
      .select('sha256')
      .where('sha256', '=', file.sha256)
      .executeTakeFirst()
    expect(status).toBeUndefined()

    const before = world.proxy.requests().length
    const upBefore = world.proxy.bytes().up
    await a.sync()
    const puts = world.proxy
      .requests()
      .slice(before)
      .filter((r) => r.path.startsWith(`/v1/device/attachments/${file.sha256}?`))
    // Resumed at the registry's offset: only the chunks it lacked, each once.
    expect(puts.length).toBe(chunks - cutAt)
    expect(world.proxy.bytes().up - upBefore).toBeLessThan(size - cutAt * chunkBytes + 200 * 1024)
    const stored = await world.registry.db
      .selectFrom('attachment_blobs')
      .select(['size', 'bytes'])
      .where('sha256', '=', file.sha256)
      .executeTakeFirstOrThrow()
    expect(Number(stored.size)).toBe(size)
    expect(Buffer.from(stored.bytes).equals(bytes)).toBe(true)
    expect(await uploadedChunks(world, file.sha256)).toBe(0)
    await expectConverged(world, [a])
  }, 120_000)

  it('takes a retried chunk once, refuses one at another offset, and discards a whole that does not match its name', async () => {
    const a = await world.laptop('chunk-rules')
    const device = await world.registry.db
      .selectFrom('devices')
      .select(['id', 'office_id'])
      .where('name', '=', 'chunk-rules')
      .executeTakeFirstOrThrow()
    const actor = { kind: 'device' as const, deviceId: device.id, officeId: device.office_id }
    const sha = 'ab'.repeat(32)
    const part = randomBytes(1000)
    expect(
      await putAttachmentChunk(world.registry.db, actor, {
        sha256: sha,
        offset: 0,
        bytes: part,
        final: false,
      }),
    ).toEqual({ stored: false, received: 1000 })
    // The same chunk again (its answer was lost): acknowledged, not added twice.
    expect(
      await putAttachmentChunk(world.registry.db, actor, {
        sha256: sha,
        offset: 0,
        bytes: part,
        final: false,
      }),
    ).toEqual({ stored: false, received: 1000 })
    await expect(
      putAttachmentChunk(world.registry.db, actor, {
        sha256: sha,
        offset: 500,
        bytes: part,
        final: false,
      }),
    ).rejects.toThrow(/another offset/)
    await expect(
      putAttachmentChunk(world.registry.db, actor, {
        sha256: sha,
        offset: 1000,
        bytes: part,
        final: true,
      }),
    ).rejects.toThrow(/does not match/)
    // Discarded for good (not rolled back with the error): the device starts over from 0.
    expect(await uploadedChunks(world, sha)).toBe(0)
    const left = await world.registry.db
      .selectFrom('attachment_uploads')
      .select('sha256')
      .where('sha256', '=', sha)
      .executeTakeFirst()
    expect(left).toBeUndefined()
    await a.close()
  })
})
