import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { readNumber } from '../../electron/core/sync/state'
import { expectConverged, registryOpsFrom } from './helpers/assert'
import type { World } from './helpers/world'
import { makeWorld } from './helpers/world'

const ops = '/v1/device/ops'
const changes = '/v1/device/changes'

describe('sync over a link that fails', () => {
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

  async function fill(
    laptop: { create: (v: Record<string, unknown>) => Promise<string> },
    n: number,
  ): Promise<string[]> {
    const ids: string[] = []
    for (let i = 0; i < n; i++) ids.push(await laptop.create({ name: `person ${i}`, age: i }))
    return ids
  }

  it('resumes a push cut in the middle of each batch, re-sending nothing already acknowledged', async () => {
    const a = await world.laptop('push-cut')
    await fill(a, 150) // 3 batches of at most 50
    const waiting: number[] = []
    for (let attempt = 0; attempt < 3; attempt++) {
      // One batch goes through and is acknowledged; the next is cut mid-request.
      world.proxy.arm({ kind: 'cutRequest', bytes: 700, match: ops, skip: 1 })
      await a.sync().catch(() => undefined)
      waiting.push(a.client.status().waiting)
    }
    expect(waiting).toEqual([100, 50, 0])
    expect(await registryOpsFrom(world, a)).toBe(150)
    expect(readNumber(a.store.sqlite, 'acked_ops')).toBe(150)
    await expectConverged(world, [a])
  })

  it('re-sends exactly the unacknowledged batch when answers are lost at each batch boundary', async () => {
    const a = await world.laptop('push-drop')
    await fill(a, 150)
    for (let attempt = 0; attempt < 3; attempt++) {
      world.proxy.arm({ kind: 'dropResponse', bytes: 0, match: ops, skip: 1 })
      await a.sync().catch(() => undefined)
    }
    world.proxy.clear()
    await a.sync()
    expect(await registryOpsFrom(world, a)).toBe(150)
    expect(readNumber(a.store.sqlite, 'acked_ops')).toBe(150)
    const state = await world.registry.call('GET', '/v1/device/sync-state', {
      token: (await a.client['options'].keyStore.load())?.token,
    })
    expect(state.body).toMatchObject({ deviceOps: 150 })
    await expectConverged(world, [a])
  })

  it('lands a batch exactly once when the answer is lost after the registry committed', async () => {
    const a = await world.laptop('drop-answer')
    const ids = await fill(a, 10)
    world.proxy.arm({ kind: 'dropResponse', bytes: 0, match: ops })
    await expect(a.sync()).rejects.toThrow(/offline/)
    // The registry has the batch, the laptop does not know it yet.
    expect(await registryOpsFrom(world, a)).toBe(10)
    expect(a.client.status().waiting).toBe(10)
    await a.sync()
    expect(a.client.status().waiting).toBe(0)
    const held = await world.registry.db
      .selectFrom('record_ops')
      .select('op_id')
      .where('record_id', 'in', ids)
      .execute()
    expect(held).toHaveLength(10)
    expect(readNumber(a.store.sqlite, 'acked_ops')).toBe(10)
  })

  it('resumes a pull cut mid-page and one whose answer is lost', async () => {
    const a = await world.laptop('pull-source')
    const b = await world.laptop('pull-cut')
    await fill(a, 120)
    await a.sync()
    world.proxy.arm({ kind: 'cutResponse', bytes: 2000, match: changes, skip: 1 })
    await expect(b.sync()).rejects.toThrow(/offline/)
    world.proxy.arm({ kind: 'dropResponse', bytes: 0, match: changes })
    await expect(b.sync()).rejects.toThrow(/offline/)
    await expectConverged(world, [a, b])
  })

  it('keeps everything when the registry restarts in the middle of a sync', async () => {
    const a = await world.laptop('restart')
    await fill(a, 150)
    const running = a.client.syncNow()
    await world.restartRegistry()
    await running
    await expectConverged(world, [a])
    expect(await registryOpsFrom(world, a)).toBe(150)
  })

  it('syncs again by itself when the network comes back', async () => {
    const a = await world.laptop('network', {
      backoff: { baseMs: 60_000, maxMs: 60_000 },
      probeMs: 20,
    })
    await fill(a, 3)
    world.proxy.down()
    a.client.start()
    await a.client.idle()
    expect(a.client.status()).toMatchObject({ online: false, waiting: 3 })
    const synced = new Promise<void>((resolve) => {
      const check = setInterval(() => {
        if (a.client.status().waiting === 0 && !a.client.status().running) {
          clearInterval(check)
          resolve()
        }
      }, 10)
    })
    world.proxy.up()
    await synced // the probe noticed, long before the one-minute backoff
    a.client.stop()
    expect(a.client.status().online).toBe(true)
  })
})
