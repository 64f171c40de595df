import { cpSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { uuidv7 } from 'uuidv7'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { readNumber, readState } from '../../electron/core/sync/state'
import { relayHqOps } from '../../registry/domain/reviews'
import { rotateEpoch } from '../../registry/domain/identity'
import { feedMarkAt, syncState } from '../../registry/domain/sync'
import { makeTempDir } from '../helpers/paths'
import { expectConverged } from './helpers/assert'
import { registryDigest } from './helpers/digest'
import type { Laptop, World } from './helpers/world'
import { makeWorld } from './helpers/world'

function position(cursor: string): [bigint, bigint] {
  const [txid, id] = cursor.split(':')
  return cursor === '' ? [0n, 0n] : [BigInt(txid ?? '0'), BigInt(id ?? '0')]
}
const after = (a: string, b: string): boolean => {
  const [x, y] = [position(a), position(b)]
  return x[0] > y[0] || (x[0] === y[0] && x[1] > y[1])
}

async function deviceOf(world: World, laptop: Laptop) {
  const row = await world.registry.db
    .selectFrom('devices')
    .select(['id', 'office_id'])
    .where('name', '=', laptop.name)
    .executeTakeFirstOrThrow()
  return { kind: 'device' as const, deviceId: row.id, officeId: row.office_id }
}

describe('a registry restored from an older backup', () => {
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

  const hq = async (method: string, path: string, body: unknown): Promise<unknown> => {
    const reply = await world.registry.call(method, path, { token: world.hqToken, body })
    expect(reply.status, JSON.stringify(reply.body)).toBeLessThan(300)
    return reply.body
  }

  it('is detected even when its feed has grown past the laptop cursor since the restore; nothing is lost', async () => {
    const dataDir = world.registryDataDir
    expect(dataDir).not.toBeNull()
    const backup = join(makeTempDir().dir, 'backup')
    const a = await world.laptop('epoch-a')
    const b = await world.laptop('epoch-b')
    const r1 = await a.create({ name: 'one', age: 1 })
    const r2 = await a.create({ name: 'two', age: 2 })
    await a.sync()
    await b.sync()
    await world.restartRegistry(() => cpSync(dataDir ?? '', backup, { recursive: true }))

    // After the backup: the other laptop and HQ work; laptop a only reads.
    const r3 = await b.create({ name: 'three, lost by the restore' })
    await b.set(r1, { name: 'one, renamed by b' })
    await b.sync()
    // Many transactions, so that the laptop's cursor ends far past the backup's transaction ids.
    for (const age of [20, 21, 22])
      for (let i = 0; i < 10; i++)
        await hq('POST', `/v1/hq/records/${r2}/corrections`, {
          changes: [{ fieldPath: i % 2 ? 'name' : 'age', value: i % 2 ? `two ${i}` : age }],
        })
    await hq('POST', `/v1/hq/records/${r1}/review`, { state: 'approved' })
    await a.sync()
    await b.sync()
    const cursor = readState(a.store.sqlite, 'pull_cursor') ?? ''
    const acked = readNumber(a.store.sqlite, 'acked_ops')
    const mark = await feedMarkAt(world.registry.db, cursor)
    expect(readState(a.store.sqlite, 'pull_mark')).toBe(mark)

    await world.restartRegistry(() => {
      rmSync(dataDir ?? '', { recursive: true, force: true })
      cpSync(backup, dataDir ?? '', { recursive: true })
    })
    expect((await registryDigest(world.registry, world.officeId)).records[r3]).toBeUndefined()

    // New work on the restored registry: a laptop enrolled now, and HQ corrections until the
    // feed's head is past laptop a's cursor (transaction ids restarted from the backup's).
    const c = await world.laptop('epoch-c')
    const r4 = await c.create({ name: 'four, after the restore' })
    await c.sync()
    const actorA = await deviceOf(world, a)
    let head = (await syncState(world.registry.db, actorA, cursor)).feedHead
    for (let i = 0; i < 2000 && !after(head, cursor); i++) {
      await hq('POST', `/v1/hq/records/${r4}/corrections`, {
        changes: [{ fieldPath: 'age', value: i }],
      })
      head = (await syncState(world.registry.db, actorA, cursor)).feedHead
    }
    const state = await syncState(world.registry.db, actorA, cursor)
    // Some of the new rows sit at or before the laptop's cursor: reading on from it would skip them.
    const rows = await world.registry.db
      .selectFrom('changes')
      .select(['txid', 'id'])
      .where('office_id', '=', world.officeId)
      .execute()
    const hidden = rows.filter((row) => !after(`${row.txid}:${row.id}`, cursor))
    expect(hidden.length).toBeGreaterThan(3) // more than the backup's own rows (form, two creates)
    // What the old detection looked at says nothing is wrong…
    expect(state.deviceOps).toBeGreaterThanOrEqual(acked)
    expect(after(state.feedHead, cursor)).toBe(true)
    // …but the row at the cursor is not the one the laptop read there.
    expect(state.mark).not.toBe(mark)

    for (const laptop of [a, b, c]) await laptop.client.syncNow()
    expect(a.client.status().lastReconcile).toMatchObject({ reason: 'feed-rewritten' })
    expect(b.client.status().lastReconcile).toMatchObject({ reason: 'ops' })
    expect(c.client.status().lastReconcile).toBeNull()
    await expectConverged(world, [a, b, c])
    const digest = await registryDigest(world.registry, world.officeId)
    expect(digest.records[r3]?.values.name).toBe('three, lost by the restore')
    expect(digest.records[r2]?.values.age).toBe(22) // HQ's lost correction, handed back
    expect(digest.records[r1]?.status).toBe('approved') // HQ's lost review, handed back
    expect(digest.records[r4]?.values.name).toBe('four, after the restore')
    const fromC = c.store.sqlite.prepare('SELECT id FROM record_ops').all() as { id: string }[]
    for (const { id } of fromC) expect(digest.ops).toContain(id)
  }, 300_000)

  it('is detected by its new epoch when an admin rotates it, and the laptop reconciles in full', async () => {
    const a = await world.laptop('epoch-rotate')
    const id = await a.create({ name: 'kept' })
    await a.sync()
    const before = readState(a.store.sqlite, 'registry_epoch')
    expect(before).toBeTruthy()
    const epoch = await rotateEpoch(world.registry.db)
    await a.sync()
    expect(a.client.status().lastReconcile).toMatchObject({ reason: 'epoch' })
    expect(readState(a.store.sqlite, 'registry_epoch')).toBe(epoch)
    await a.sync() // the next run with the same epoch is an ordinary one
    expect(readNumber(a.store.sqlite, 'acked_ops')).toBeGreaterThan(0)
    await expectConverged(world, [a])
    expect((await registryDigest(world.registry, world.officeId)).records[id]).toBeDefined()
  })

  it('takes back only HQ ops it can prove it made', async () => {
    const a = await world.laptop('epoch-relay')
    const id = await a.create({ name: 'reviewed' })
    await a.sync()
    await hq('POST', `/v1/hq/records/${id}/review`, { state: 'approved' })
    await a.sync()
    const row = a.store.sqlite
      .prepare(
        "SELECT o.id, o.hlc, o.user_id, m.base_hlc, m.seen FROM record_ops o JOIN sync_op_meta m ON m.op_id = o.id WHERE o.record_id = ? AND o.device_id = 'registry'",
      )
      .get(id) as { id: string; hlc: string; user_id: string; base_hlc: string; seen: string }
    const genuine = {
      opId: row.id,
      recordId: id,
      formVersionId: world.formVersionId,
      kind: 'status' as const,
      fieldPath: '',
      oldValue: 'draft',
      newValue: 'approved',
      hlc: row.hlc,
      baseHlc: row.base_hlc,
      seen: JSON.parse(row.seen) as Record<string, string>,
      resolves: [],
      userId: row.user_id,
    }
    const device = await deviceOf(world, a)
    expect(await relayHqOps(world.registry.db, device, [genuine])).toEqual({
      accepted: 0,
      duplicates: 1,
      refused: 0,
      deferred: 0,
    })
    const forged = [
      { ...genuine, newValue: 'rejected' }, // HQ's op, changed
      { ...genuine, opId: uuidv7(), newValue: 'rejected' }, // made up under HQ's clock
      { ...genuine, opId: uuidv7(), hlc: row.hlc.replace(/registry$/, 'someone') },
    ]
    expect(await relayHqOps(world.registry.db, device, forged)).toEqual({
      accepted: 0,
      duplicates: 0,
      refused: 3,
      deferred: 0,
    })
    await expectConverged(world, [a])
  })
})
