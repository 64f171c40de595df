import { join } from 'node:path'
import { uuidv7 } from 'uuidv7'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createRecord } from '../../electron/core/records/ops'
import { exportPackageFile, importPackageFile } from '../../registry/domain/packages'
import { makeTempDir } from '../helpers/paths'
import { registryDigest } from '../sync/helpers/digest'
import type { World } from '../sync/helpers/world'
import { makeWorld } from '../sync/helpers/world'
import { officeExport, officeImport, registryDeviceId, waiting } from './world'

/**
 * One record HQ will not take must not stop a USB package, as it does not stop online sync: the
 * rest lands, the refusal travels back in the return package, and the laptop sets that record
 * aside so it no longer waits to be sent.
 */
describe('a package carrying a record the registry refuses', () => {
  let world: World
  const temp = makeTempDir('outpost-pkg-refused-')
  beforeAll(async () => {
    world = await makeWorld()
  })
  afterAll(async () => {
    await world.close()
    temp.cleanup()
  })

  it('applies the rest at HQ, and the laptop sets the refused record aside from the return package', async () => {
    const a = await world.laptop('usb-refused')
    const before = await a.create({ name: 'before' })
    // A form version the registry never published to this office (imported on the laptop only).
    const localVersion = uuidv7()
    const formId = (a.store.sqlite.prepare('SELECT form_id FROM form_versions LIMIT 1').get() as { form_id: string }).form_id
    a.store.sqlite
      .prepare("INSERT INTO form_versions (id, form_id, version, title, xform, sha256, created_at) VALUES (?, ?, 'local', 'local', '<x/>', 'x', 0)")
      .run(localVersion, formId)
    const refused = (await createRecord(a.store, a.actor, localVersion, { name: 'refused' })).id
    const after = await a.create({ name: 'after' })
    await a.set(after, { name: 'after, corrected' })
    const queued = waiting(a)

    const result = await importPackageFile(world.registry.db, await exported(a, 'office.outpost'))
    expect(result.refused.length).toBeGreaterThan(0)
    expect(new Set(result.refused.map((r) => r.recordId))).toEqual(new Set([refused]))
    expect(result.newOps).toBe(queued - result.refused.length)
    const hq = await registryDigest(world.registry, world.officeId)
    expect(hq.records[before]).toBeDefined()
    expect(hq.records[after]?.values.name).toBe('after, corrected')
    expect(hq.records[refused]).toBeUndefined()

    const back = join(temp.dir, 'from-hq.outpost')
    await exportPackageFile(world.registry.db, { deviceId: registryDeviceId(a), path: back })
    const applied = await officeImport(a, back)
    expect(applied.refused).toBe(result.refused.length)
    expect(applied.acknowledged).toBe(result.newOps)
    expect(waiting(a)).toBe(0) // nothing left queued behind the refused record
    const setAside = a.store.sqlite.prepare('SELECT DISTINCT record_id FROM sync_rejections').all() as { record_id: string }[]
    expect(setAside.map((r) => r.record_id)).toEqual([refused])
    expect(a.client.status()).toMatchObject({ waiting: 0, rejections: 1 })

    // Online sync afterwards trusts the registry: no false "restored registry" reset, nothing re-sent.
    await a.sync()
    expect(a.client.status()).toMatchObject({ waiting: 0, rejections: 1 })
    expect((await registryDigest(world.registry, world.officeId)).records[refused]).toBeUndefined()
  })

  it('keeps the refusal once when the same package or return package comes again', async () => {
    const a = await world.laptop('usb-refused-twice')
    const localVersion = uuidv7()
    const formId = (a.store.sqlite.prepare('SELECT form_id FROM form_versions LIMIT 1').get() as { form_id: string }).form_id
    a.store.sqlite
      .prepare("INSERT INTO form_versions (id, form_id, version, title, xform, sha256, created_at) VALUES (?, ?, 'local', 'local', '<x/>', 'x', 0)")
      .run(localVersion, formId)
    await createRecord(a.store, a.actor, localVersion, { name: 'refused only' })
    const file = await exported(a, 'only-refused.outpost')
    const first = await importPackageFile(world.registry.db, file)
    expect(first).toMatchObject({ newOps: 0 })
    expect(first.refused.length).toBeGreaterThan(0) // a package of refusals only is still applied (not "already applied")
    await expect(importPackageFile(world.registry.db, file)).rejects.toThrow(/already/i)

    const back = join(temp.dir, 'only-refused-back.outpost')
    await exportPackageFile(world.registry.db, { deviceId: registryDeviceId(a), path: back })
    expect((await officeImport(a, back)).refused).toBe(first.refused.length)
    expect(waiting(a)).toBe(0)
    await expect(officeImport(a, back)).rejects.toThrow(/already/i)
  })

  async function exported(laptop: Awaited<ReturnType<World['laptop']>>, name: string): Promise<string> {
    const path = join(temp.dir, name)
    await officeExport(laptop, path)
    return path
  }
})
