import { cpSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { openStore } from '../../electron/core/db/open'
import { HlcClock } from '../../shared/hlc'
import { applyRemoteOp } from '../../electron/core/sync/apply'
import { readNumber } from '../../electron/core/sync/state'
import { readChanges } from '../../registry/domain/feed'
import { feedOpSchema } from '../../shared/sync/ops'
import { makeTempDir, migrationsDir } from '../helpers/paths'
import { expectConverged, registryOpsFrom } from './helpers/assert'
import { laptopDigest, registryDigest } from './helpers/digest'
import type { World } from './helpers/world'
import { makeWorld } from './helpers/world'

const crash = (): never => {
  throw new Error('killed')
}

describe('sync when the laptop or the registry loses its place', () => {
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

  it('re-sends, exactly once, a batch acknowledged just before the laptop died (push cursor not written)', async () => {
    const a = await world.laptop('push-crash')
    for (let i = 0; i < 60; i++) await a.create({ name: `p${i}` })
    await a.reopen({ faults: { beforePushCursor: (batch) => (batch === 1 ? crash() : undefined) } })
    await expect(a.sync()).rejects.toThrow(/internal/) // the hook's throw stands for the process dying
    expect(a.client.status().waiting).toBe(10) // the first batch's cursor was written, the second's not
    expect(await registryOpsFrom(world, a)).toBe(60) // yet the registry holds it
    await a.reopen()
    await a.sync()
    expect(readNumber(a.store.sqlite, 'acked_ops')).toBe(60)
    await expectConverged(world, [a])
  })

  it('keeps neither a page nor its cursor when the laptop dies while applying it, then applies it once', async () => {
    const a = await world.laptop('pull-source')
    const b = await world.laptop('pull-crash')
    for (let i = 0; i < 80; i++) await a.create({ name: `q${i}` })
    await a.sync()
    const before = laptopDigest(b.store)
    await b.reopen({ faults: { beforePullCursor: () => crash() } })
    await expect(b.sync()).rejects.toThrow(/internal/) // the hook's throw stands for the process dying
    expect(laptopDigest(b.store)).toEqual(before)
    await b.reopen({ faults: { beforePullCursor: (page) => (page === 1 ? crash() : undefined) } })
    await expect(b.sync()).rejects.toThrow(/internal/) // the hook's throw stands for the process dying
    await b.reopen()
    await expectConverged(world, [a, b])
  })

  it('converges whatever order and however often the ops are delivered', async () => {
    const a = await world.laptop('order-a')
    const b = await world.laptop('order-b')
    const id = await a.create({ name: 'x', age: 1 })
    await a.sync()
    await b.sync()
    await a.set(id, { age: 2 })
    await b.set(id, { age: 3, name: 'y' })
    await b.remove(id)
    await a.sync()
    await b.sync()
    await a.sync()
    const page = await readChanges(world.registry.db, { officeId: world.officeId }, '', 1000)
    const ops = page.changes
      .filter((c) => c.kind === 'record.op')
      .map((c) => feedOpSchema.parse(c.data))
    const temp = makeTempDir()
    try {
      for (const order of [
        ops,
        [...ops].reverse(),
        [...ops, ...ops.slice(0, 3), ...ops].reverse(),
      ]) {
        const store = openStore(
          join(temp.dir, `${order.length}-${order[0]?.opId}.db`),
          migrationsDir,
        )
        const copyForm = (table: string): void => {
          for (const row of a.store.sqlite.prepare(`SELECT * FROM ${table}`).all() as Record<
            string,
            unknown
          >[]) {
            const keys = Object.keys(row)
            store.sqlite
              .prepare(
                `INSERT OR IGNORE INTO ${table} (${keys.join(', ')}) VALUES (${keys.map((k) => `@${k}`).join(', ')})`,
              )
              .run(row)
          }
        }
        copyForm('forms')
        copyForm('form_versions')
        const clock = new HlcClock('replay')
        store.sqlite.transaction(() => {
          for (const op of order) applyRemoteOp(store.sqlite, clock, op, Date.now())
        })()
        expect(laptopDigest(store)).toEqual(await registryDigest(world.registry, world.officeId))
        await store.close()
      }
    } finally {
      temp.cleanup()
    }
  })

  it('reconciles in full with a registry restored from an older backup', async () => {
    if (!world.registryDataDir) return
    const backup = join(makeTempDir().dir, 'backup')
    const a = await world.laptop('backup-a')
    const b = await world.laptop('backup-b')
    const early = await a.create({ name: 'before the backup' })
    await a.sync()
    await world.restartRegistry(() =>
      cpSync(world.registryDataDir ?? '', backup, { recursive: true }),
    )
    await a.set(early, { name: 'after the backup' })
    const late = await b.create({ name: 'lost by the restore' })
    await a.sync()
    await b.sync()
    await a.sync()
    await world.restartRegistry(() => {
      rmSync(world.registryDataDir ?? '', { recursive: true, force: true })
      cpSync(backup, world.registryDataDir ?? '', { recursive: true })
    })
    const restored = await registryDigest(world.registry, world.officeId)
    expect(restored.records[late]).toBeUndefined()
    await a.client.syncNow()
    await b.client.syncNow()
    await expectConverged(world, [a, b])
    const after = await registryDigest(world.registry, world.officeId)
    expect(after.records[late]?.values.name).toBe('lost by the restore')
    expect(after.records[early]?.values.name).toBe('after the backup')
  })
})
