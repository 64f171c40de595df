import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { exportPackageFile, importPackageFile } from '../../registry/domain/packages'
import { AppFailure } from '../../shared/errors'
import { makeTempDir } from '../helpers/paths'
import { laptopDigest, registryDigest } from '../sync/helpers/digest'
import type { Laptop, World } from '../sync/helpers/world'
import { makeWorld } from '../sync/helpers/world'
import { officeExport, officeImport, registryDeviceId, waiting } from './world'

/** A package refused as already applied is a legitimate outcome of interleaving; anything else is not. */
async function tolerant(run: Promise<unknown>): Promise<void> {
  try {
    await run
  } catch (error) {
    const reason = (error as AppFailure).details as { reason?: string } | undefined
    if (!(error instanceof AppFailure) || reason?.reason !== 'already_applied') throw error
  }
}

describe('online sync and USB packages for the same office', () => {
  let world: World
  const temp = makeTempDir('outpost-interleave-')
  beforeAll(async () => {
    world = await makeWorld()
  })
  afterAll(async () => {
    await world.close()
    temp.cleanup()
  })

  it('converge to the state online sync alone reaches: every replica equal, nothing lost or resent', async () => {
    const a = await world.laptop('mix-a')
    const b = await world.laptop('mix-b')
    const ids: string[] = []
    let step = 0
    const file = () => join(temp.dir, `p${step++}.outpost`)
    // A fixed script that mixes every order: package before sync, sync before package, packages
    // overlapping, a return package older than the laptop's pull, HQ corrections in between.
    const edit = async (laptop: Laptop, n: number) => {
      for (let i = 0; i < n; i++) ids.push(await laptop.create({ name: `${laptop.name} ${ids.length}`, age: ids.length }))
      if (ids[0]) await laptop.set(ids[0], { age: 100 + step })
    }
    const correct = async (id: string) => {
      const reply = await world.registry.call('POST', `/v1/hq/records/${id}/corrections`, {
        token: world.hqToken,
        body: { changes: [{ fieldPath: 'name', value: `corrected ${step}` }] },
      })
      expect(reply.status).toBe(200)
    }
    const roundTrip = async (laptop: Laptop) => {
      const out = file()
      await officeExport(laptop, out)
      await tolerant(importPackageFile(world.registry.db, out))
      const back = file()
      await exportPackageFile(world.registry.db, { deviceId: registryDeviceId(laptop), path: back })
      return back
    }

    await edit(a, 3)
    const p1 = file()
    await officeExport(a, p1) // written, not yet delivered
    await edit(a, 2)
    await a.sync() // online sends everything, P1's ops included
    await tolerant(importPackageFile(world.registry.db, p1)) // arrives late: nothing new
    await b.sync() // b now holds a's records and edits them online too
    await edit(b, 2)
    await b.sync()
    await correct(ids[1] ?? '')
    const r1 = await roundTrip(a) // overlaps what online already delivered
    await edit(a, 1)
    await a.sync()
    await tolerant(officeImport(a, r1)) // older than what the pull already brought
    await edit(a, 2)
    await correct(ids[3] ?? '') // known at HQ since a's first online sync
    const r2 = await roundTrip(a)
    await edit(b, 1)
    await tolerant(officeImport(a, r2))
    expect(waiting(a)).toBe(0) // the return package acknowledged everything a had sent by USB
    await edit(a, 1)
    const out = file()
    await officeExport(a, out, { kind: 'sinceLastPackage' })
    await tolerant(importPackageFile(world.registry.db, out))

    for (const laptop of [a, b, a, b]) await laptop.sync()
    const hq = await registryDigest(world.registry, world.officeId)
    expect(laptopDigest(a.store)).toEqual(hq)
    expect(laptopDigest(b.store)).toEqual(hq)
    expect(Object.keys(hq.records).sort()).toEqual([...ids].sort())
    expect(waiting(a)).toBe(0)
    // The laptop's count of acknowledged ops matches what the registry holds: no op counted twice,
    // so online sync never mistakes the registry for a restored backup.
    const acked = a.store.sqlite.prepare("SELECT value FROM sync_state WHERE key = 'acked_ops'").get() as { value: string }
    const held = await world.registry.db
      .selectFrom('record_ops')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('device_id', '=', registryDeviceId(a))
      .executeTakeFirstOrThrow()
    expect(Number(acked.value)).toBe(Number(held.n))
  }, 180_000)
})
