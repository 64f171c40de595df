import { randomBytes } from 'node:crypto'
import { uuidv7 } from 'uuidv7'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { addAttachment } from '../../electron/core/records/attachments'
import { expectConverged } from './helpers/assert'
import { registryDigest } from './helpers/digest'
import type { World } from './helpers/world'
import { makeWorld } from './helpers/world'

const day = 24 * 60 * 60 * 1000

describe('merging concurrent work', () => {
  let world: World
  beforeAll(async () => {
    world = await makeWorld()
  })
  afterAll(async () => {
    await world.close()
  })

  it('records a delete against an edit, and keeps concurrent deletes and a restore quiet', async () => {
    const a = await world.laptop('del-a')
    const b = await world.laptop('del-b')
    const edited = await a.create({ name: 'kept?', age: 1 })
    const both = await a.create({ name: 'deleted twice' })
    const back = await a.create({ name: 'deleted then restored' })
    await a.sync()
    await b.sync()
    await a.remove(edited)
    await b.set(edited, { age: 2 })
    await a.remove(both)
    await b.remove(both)
    await a.remove(back)
    await a.restore(back)
    await a.set(back, { name: 'restored' })
    await expectConverged(world, [a, b])
    const digest = await registryDigest(world.registry, world.officeId)
    const mine = Object.entries(digest.conflicts)
    expect(mine.filter(([, c]) => c.fieldPath === '#deleted:age')).toHaveLength(1)
    expect(digest.records[edited]).toMatchObject({ deleted: true, values: { age: 2 } })
    expect(digest.records[both]?.deleted).toBe(true)
    expect(digest.records[back]).toMatchObject({ deleted: false, values: { name: 'restored' } })
    const conflict = a.client.status().conflicts
    expect(conflict).toBeGreaterThanOrEqual(1)
  })

  it('resolves a conflict on one laptop and clears it everywhere', async () => {
    const a = await world.laptop('res-a')
    const b = await world.laptop('res-b')
    const id = await a.create({ name: 'n', age: 1 })
    await a.sync()
    await b.sync()
    await a.set(id, { age: 10 })
    await b.set(id, { age: 20 })
    await expectConverged(world, [a, b])
    const { listConflicts, resolveConflict } = await import('../../electron/core/sync/conflicts')
    const open = listConflicts(b.store.sqlite, id)
    expect(open).toHaveLength(1)
    expect(open[0]).toMatchObject({ fieldPath: 'age' })
    expect([open[0]?.a.value, open[0]?.b.value].sort()).toEqual([10, 20])
    expect([10, 20]).toContain(open[0]?.current)
    resolveConflict(b.store.sqlite, b.device, 'supervisor', open[0]?.id ?? '', 15)
    await expectConverged(world, [a, b])
    expect(listConflicts(a.store.sqlite, id)).toHaveLength(0)
    expect((await registryDigest(world.registry, world.officeId)).records[id]?.values.age).toBe(15)
    await a.set(id, { age: 16 }) // a later edit after the resolution is an ordinary edit
    await expectConverged(world, [a, b])
    expect(listConflicts(b.store.sqlite, id)).toHaveLength(0)
  })

  it('keeps fields a laptop on an older form version does not know', async () => {
    const a = await world.laptop('skew')
    const id = await a.create({ name: 'old form' })
    await a.sync()
    const reply = await world.registry.call('POST', `/v1/hq/records/${id}/corrections`, {
      token: world.hqToken,
      body: { changes: [{ fieldPath: 'added_in_v2', value: 'new field' }] },
    })
    expect(reply.status).toBe(200)
    await a.sync()
    await a.set(id, { name: 'edited on the old version' })
    await expectConverged(world, [a])
    const values = (await registryDigest(world.registry, world.officeId)).records[id]?.values
    expect(values).toMatchObject({ added_in_v2: 'new field', name: 'edited on the old version' })
  })

  it('orders by clocks, not wall time, when a laptop is three days ahead or behind', async () => {
    const ahead = await world.laptop('ahead', { clockOffsetMs: 3 * day })
    const behind = await world.laptop('behind', { clockOffsetMs: -3 * day })
    const id = await ahead.create({ name: 'a', age: 1 })
    await ahead.sync()
    await behind.sync()
    await behind.set(id, { age: 2 }) // seen the future edit: ordered after it despite its clock
    await behind.sync()
    await ahead.sync()
    expect((await registryDigest(world.registry, world.officeId)).records[id]?.values.age).toBe(2)
    await ahead.set(id, { name: 'concurrent ahead' })
    await behind.set(id, { name: 'concurrent behind' })
    await expectConverged(world, [ahead, behind])
    const digest = await registryDigest(world.registry, world.officeId)
    expect(digest.records[id]?.values.name).toBe('concurrent ahead') // the highest clock wins, deterministically
    expect(Object.values(digest.conflicts).some((c) => c.fieldPath === 'name')).toBe(true)
    expect(ahead.client.status().lastError).toBeNull()
  })

  it('sets aside a record the registry refuses and a file cut mid-upload, and sends the rest', async () => {
    const a = await world.laptop('reject')
    // A form version the registry never published to this office (imported on the laptop).
    const versionId = uuidv7()
    const formId = (
      a.store.sqlite.prepare('SELECT form_id FROM form_versions LIMIT 1').get() as {
        form_id: string
      }
    ).form_id
    a.store.sqlite
      .prepare(
        "INSERT INTO form_versions (id, form_id, version, title, xform, sha256, created_at) VALUES (?, ?, 'local', 'local', '<x/>', 'x', 0)",
      )
      .run(versionId, formId)
    const { createRecord } = await import('../../electron/core/records/ops')
    const refused = (await createRecord(a.store, a.actor, versionId, { name: 'refused' })).id
    const withFile = await a.create({ name: 'has a photo' })
    const bytes = randomBytes(700 * 1024)
    const file = await addAttachment(a.store, a.actor, a.dir, {
      recordId: withFile,
      fieldPath: 'photo',
      fileName: 'p.jpg',
      mediaType: 'image/jpeg',
      bytes,
    })
    const after = await a.create({ name: 'queued behind' })
    world.proxy.arm({
      kind: 'cutRequest',
      bytes: 100 * 1024,
      match: '/v1/device/attachments',
      skip: 2,
    })
    await a.client.syncNow()
    const status = a.client.status()
    expect(status).toMatchObject({ waiting: 0, rejections: 1 })
    const digest = await registryDigest(world.registry, world.officeId)
    expect(digest.records[after]).toBeDefined()
    expect(digest.records[refused]).toBeUndefined()
    const blob = await world.registry.db
      .selectFrom('attachment_blobs')
      .select('sha256')
      .where('sha256', '=', file.sha256)
      .executeTakeFirst()
    expect(blob).toBeUndefined()
    const partial = await world.registry.db
      .selectFrom('attachment_uploads')
      .select('sha256')
      .where('sha256', '=', file.sha256)
      .executeTakeFirst()
    expect(partial).toBeDefined() // the first chunk is kept: the next run resumes after it
    await a.sync()
    const stored = await world.registry.db
      .selectFrom('attachment_blobs')
      .select(['sha256', 'size'])
      .where('sha256', '=', file.sha256)
      .executeTakeFirstOrThrow()
    expect(Number(stored.size)).toBe(bytes.length)
  })
})
