import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { publishFormVersion } from '../../registry/domain/forms'
import { mergeOps } from '../../registry/domain/merge-ops'
import { pendingOps, toSyncOp } from '../../electron/core/sync/local-ops'
import { readState } from '../../electron/core/sync/state'
import { makeOffice, system } from '../registry/helpers/harness'
import { expectConverged } from './helpers/assert'
import { laptopDigest, registryDigest } from './helpers/digest'
import type { World } from './helpers/world'
import { makeWorld } from './helpers/world'

describe('sync against concurrent writers on PostgreSQL', () => {
  let world: World
  beforeAll(async () => {
    world = await makeWorld({ backend: 'postgres' })
  })
  afterAll(async () => {
    await world.close()
  })

  it('delivers an upload whose transaction was still open while a later one committed and was pulled', async () => {
    const a = await world.laptop('fast')
    const b = await world.laptop('reader')
    const slow = await world.laptop('slow')
    const slowId = await slow.create({ name: 'committed late' })
    const deviceId = readState(slow.store.sqlite, 'registry_device_id') ?? ''
    const ops = pendingOps(slow.store.sqlite, slow.device.id, 0, 100).map(toSyncOp)
    let release = (): void => undefined
    const gate = new Promise<void>((resolve) => (release = resolve))
    let inside = (): void => undefined
    const started = new Promise<void>((resolve) => (inside = resolve))
    // The same work as a push, held open before its commit.
    const held = world.registry.db.transaction().execute(async (trx) => {
      await trx
        .insertInto('records')
        .values({
          id: slowId,
          office_id: world.officeId,
          form_version_id: world.formVersionId,
          values: '{}',
          field_clocks: '{}',
        })
        .execute()
      const records = await trx
        .selectFrom('records')
        .select(['id', 'office_id', 'values', 'field_clocks'])
        .where('id', '=', slowId)
        .forUpdate()
        .execute()
      await mergeOps(
        trx,
        records,
        ops.map((op) => ({ ...op, deviceId })),
        deviceId,
      )
      inside()
      await gate
    })
    await started
    const laterId = await a.create({ name: 'committed first' })
    await a.sync()
    await b.sync()
    // The later commit is held back behind the open transaction rather than read past it.
    expect(laptopDigest(b.store).records[laterId]).toBeUndefined()
    release()
    await held
    await b.sync()
    expect(laptopDigest(b.store).records[slowId]?.values.name).toBe('committed late')
    expect(laptopDigest(b.store).records[laterId]?.values.name).toBe('committed first')
    await expectConverged(world, [a, b, slow])
  })

  it('converges two offices and HQ editing the same records at once, conflicts and all', async () => {
    const other = await makeOffice(world.registry.db)
    await publishFormVersion(world.registry.db, system, world.formVersionId, [other.id])
    const a = await world.laptop('office-1a')
    const b = await world.laptop('office-1b')
    const c = await world.laptop('office-2', {}, other.id)
    const shared: string[] = []
    for (let i = 0; i < 5; i++) shared.push(await a.create({ name: `r${i}`, age: i }))
    const theirs = await c.create({ name: 'office 2 only' })
    await Promise.all([a.sync(), c.sync()])
    await b.sync()
    for (const id of shared) {
      await a.set(id, { age: 100 })
      await b.set(id, { age: 200, name: `b-${id.slice(-4)}` })
    }
    const corrections = shared.map((id) =>
      world.registry.call('POST', `/v1/hq/records/${id}/corrections`, {
        token: world.hqToken,
        body: { changes: [{ fieldPath: 'age', value: 300 }] },
      }),
    )
    await Promise.all([
      a.sync(),
      b.sync(),
      c.set(theirs, { age: 7 }).then(() => c.sync()),
      ...corrections,
    ])
    await expectConverged(world, [a, b])
    const digest = await registryDigest(world.registry, world.officeId)
    for (const id of shared) {
      expect(
        Object.values(digest.conflicts).filter((x) => x.fieldPath === 'age').length,
      ).toBeGreaterThanOrEqual(shared.length)
      expect(digest.records[id]?.values.name).toBe(`b-${id.slice(-4)}`)
    }
    expect(laptopDigest(a.store).records[theirs]).toBeUndefined()
    await c.sync()
    expect(laptopDigest(c.store)).toEqual(await registryDigest(world.registry, other.id))
    // HQ resolves one conflict; every laptop of the office sees it closed.
    const list = await world.registry.call('GET', `/v1/hq/conflicts?office=${world.officeId}`, {
      token: world.hqToken,
    })
    const first = (list.body as { conflicts: { id: string }[] }).conflicts[0]
    const resolved = await world.registry.call(
      'POST',
      `/v1/hq/conflicts/${first?.id ?? ''}/resolve`,
      { token: world.hqToken, body: { value: 42 } },
    )
    expect(resolved.status).toBe(200)
    await expectConverged(world, [a, b])
    expect(laptopDigest(a.store).conflicts[first?.id ?? '']?.resolved).toBe(true)
  })
})
