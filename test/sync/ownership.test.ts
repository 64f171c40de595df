import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { pendingOps, toSyncOp } from '../../electron/core/sync/local-ops'
import { readState } from '../../electron/core/sync/state'
import type { DeviceActor } from '../../registry/domain/actors'
import { pushOps } from '../../registry/domain/records'
import type { World } from './helpers/world'
import { makeWorld } from './helpers/world'

describe('clock ownership', () => {
  let world: World
  beforeAll(async () => {
    world = await makeWorld()
  })
  afterAll(async () => {
    await world.close()
  })

  it('refuses a batch of ops made under another device’s clock, and takes the device’s own', async () => {
    const a = await world.laptop('own-a')
    const b = await world.laptop('own-b')
    const mine = await a.create({ name: 'made on a' })
    await a.sync() // binds a's clock node to its registry device
    const theirs = await b.create({ name: 'made on b' })
    const asA: DeviceActor = {
      kind: 'device',
      deviceId: readState(a.store.sqlite, 'registry_device_id') ?? '',
      officeId: world.officeId,
    }
    const forged = pendingOps(b.store.sqlite, b.device.id, 0, 100).map(toSyncOp)
    expect(forged.map((op) => op.recordId)).toContain(theirs)
    await expect(pushOps(world.registry.db, asA, { ops: forged })).rejects.toMatchObject({
      code: 'forbidden',
    })
    const mixed = [...pendingOps(a.store.sqlite, a.device.id, 0, 100).map(toSyncOp), ...forged]
    await expect(pushOps(world.registry.db, asA, { ops: mixed })).rejects.toMatchObject({
      code: 'forbidden',
    })
    const stored = await world.registry.db
      .selectFrom('records')
      .select('id')
      .where('id', 'in', [mine, theirs])
      .execute()
    expect(stored.map((row) => row.id)).toEqual([mine]) // nothing of the forged batches
    await b.sync() // b's own ops go up under b's own device
    expect(b.client.status().waiting).toBe(0)
    const again = pendingOps(a.store.sqlite, a.device.id, 0, 100).map(toSyncOp)
    expect(await pushOps(world.registry.db, asA, { ops: again })).toEqual({
      accepted: 0,
      duplicates: again.length,
    })
  })
})
