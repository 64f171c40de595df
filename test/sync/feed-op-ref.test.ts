import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { pendingOps, toSyncOp } from '../../electron/core/sync/local-ops'
import { readState } from '../../electron/core/sync/state'
import type { DeviceActor } from '../../registry/domain/actors'
import { readChanges } from '../../registry/domain/feed'
import { pushOps } from '../../registry/domain/records'
import { createRecord } from '../../electron/core/records/ops'
import type { SyncOp } from '../../shared/sync/ops'
import { makeOffice } from '../registry/helpers/harness'
import { publishForm } from '../registry/helpers/world'
import type { Laptop, World } from './helpers/world'
import { makeWorld } from './helpers/world'

/**
 * A first push's feed rows name their ops (changes.op_id, migration 0013) instead of holding
 * them; the feed must still hand every other device the very ops that were pushed, and a replay
 * must store nothing twice.
 */
describe.each(['pglite', 'postgres'] as const)('the feed of a first push on %s', (backend) => {
  let world: World
  beforeAll(async () => {
    world = await makeWorld({ backend })
  })
  afterAll(async () => {
    await world.close()
  })

  async function firstPush(laptop: Laptop, count: number) {
    for (let i = 0; i < count; i++)
      await laptop.create({ name: `p${i}`, age: i, tags: [i, { deep: null }], note: null })
    const ops = pendingOps(laptop.store.sqlite, laptop.device.id, 0, 1000).map(toSyncOp)
    const actor: DeviceActor = {
      kind: 'device',
      deviceId: readState(laptop.store.sqlite, 'registry_device_id') ?? '',
      officeId: world.officeId,
    }
    return { ops, actor }
  }

  async function feedOps(after: string): Promise<{ data: unknown; cursor: string }[]> {
    const page = await readChanges(world.registry.db, { officeId: world.officeId }, after, 10_000)
    return page.changes
      .filter((change) => change.kind === 'record.op')
      .map((change) => ({ data: change.data, cursor: change.cursor }))
  }

  it('hands another device the very ops pushed, read from the ops the rows name', async () => {
    const laptop = await world.laptop('ref-a')
    const { ops, actor } = await firstPush(laptop, 5)
    const head = (await readChanges(world.registry.db, { officeId: world.officeId }, '', 10_000))
      .nextCursor
    expect(await pushOps(world.registry.db, actor, { ops })).toEqual({
      accepted: 5,
      duplicates: 0,
    })
    const rows = await world.registry.db
      .selectFrom('changes')
      .select(['op_id', 'data'])
      .where('kind', '=', 'record.op')
      .where('device_id', '=', actor.deviceId)
      .execute()
    expect(rows.map((row) => row.op_id)).toEqual(ops.map((op) => op.opId))
    expect(rows.every((row) => JSON.stringify(row.data) === '{}')).toBe(true)
    const sent = ops.map((op) => ({ ...op, deviceId: actor.deviceId }))
    expect((await feedOps(head)).map((change) => change.data)).toEqual(sent)

    // A replay of the batch (its answer lost) stores nothing and adds no feed row.
    expect(await pushOps(world.registry.db, actor, { ops })).toEqual({
      accepted: 0,
      duplicates: 5,
    })
    expect((await feedOps(head)).map((change) => change.data)).toEqual(sent)

    // The device that pushed them gets only the cursor past them.
    const own = await readChanges(
      world.registry.db,
      { officeId: world.officeId, skipOpsOf: actor.deviceId },
      head,
      10_000,
    )
    expect(own.changes.filter((change) => change.kind === 'record.op')).toEqual([])
  })

  it('keeps the op whole in its row when the ops would not read back the same', async () => {
    const laptop = await world.laptop('ref-b')
    const { ops, actor } = await firstPush(laptop, 2)
    const upper = ops.map((op, i): SyncOp =>
      i === 0 ? { ...op, opId: op.opId.toUpperCase() } : op,
    )
    const head = (await readChanges(world.registry.db, { officeId: world.officeId }, '', 10_000))
      .nextCursor
    expect(await pushOps(world.registry.db, actor, { ops: upper })).toEqual({
      accepted: 2,
      duplicates: 0,
    })
    expect((await feedOps(head)).map((change) => change.data)).toEqual(
      upper.map((op) => ({ ...op, deviceId: actor.deviceId })),
    )
    const rows = await world.registry.db
      .selectFrom('changes')
      .select(['op_id'])
      .where('device_id', '=', actor.deviceId)
      .execute()
    expect(rows.every((row) => row.op_id === null)).toBe(true)
  })

  it('takes a first push whose records are partly stored already: the rest once, no row twice', async () => {
    const laptop = await world.laptop('ref-e')
    const { ops, actor } = await firstPush(laptop, 5)
    const head = (await readChanges(world.registry.db, { officeId: world.officeId }, '', 10_000))
      .nextCursor
    expect(await pushOps(world.registry.db, actor, { ops: ops.slice(0, 2) })).toEqual({
      accepted: 2,
      duplicates: 0,
    })
    expect(await pushOps(world.registry.db, actor, { ops })).toEqual({
      accepted: 3,
      duplicates: 2,
    })
    const sent = ops.map((op) => ({ ...op, deviceId: actor.deviceId }))
    expect((await feedOps(head)).map((change) => change.data)).toEqual(sent)
    const records = await world.registry.db
      .selectFrom('records')
      .select(['id', 'values'])
      .where(
        'id',
        'in',
        ops.map((op) => op.recordId),
      )
      .orderBy('id')
      .execute()
    expect(records.map((row) => row.values)).toEqual(
      [...ops]
        .sort((a, b) => (a.recordId < b.recordId ? -1 : 1))
        .map((op) => (op.newValue as { values: unknown }).values),
    )
  })

  it('stores nothing of a first push naming a record of another office', async () => {
    const other = await makeOffice(world.registry.db)
    const version = await publishForm(world.registry, [other.id])
    const stranger = await world.laptop('ref-f', {}, other.id)
    const theirs = (await createRecord(stranger.store, stranger.actor, version, { name: 'x' })).id
    await stranger.sync()
    const laptop = await world.laptop('ref-g')
    const { ops, actor } = await firstPush(laptop, 4)
    const head = (await readChanges(world.registry.db, { officeId: world.officeId }, '', 10_000))
      .nextCursor
    const mixed = ops.map((op, i): SyncOp => (i === 2 ? { ...op, recordId: theirs } : op))
    await expect(pushOps(world.registry.db, actor, { ops: mixed })).rejects.toMatchObject({
      code: 'forbidden',
    })
    const stored = await world.registry.db
      .selectFrom('records')
      .select('id')
      .where(
        'id',
        'in',
        ops.map((op) => op.recordId),
      )
      .execute()
    expect(stored).toEqual([])
    expect(await feedOps(head)).toEqual([])
  })

  it('syncs a first push to a second laptop record for record', async () => {
    const a = await world.laptop('ref-c')
    const b = await world.laptop('ref-d')
    const ids: string[] = []
    for (let i = 0; i < 30; i++) ids.push(await a.create({ name: `r${i}`, age: i, q: 'x' }))
    await a.sync()
    await b.sync()
    // JSON compared parsed: the registry keeps it as jsonb, whose key order is its own.
    const parsed = (rows: unknown[]) =>
      (rows as Record<string, unknown>[]).map((row) =>
        Object.fromEntries(
          Object.entries(row).map(([key, value]) => [
            key,
            /_json$|_value$/.test(key) && typeof value === 'string' ? JSON.parse(value) : value,
          ]),
        ),
      )
    const marks = ids.map(() => '?').join(',')
    const read = (laptop: Laptop) =>
      parsed(
        laptop.store.sqlite
          .prepare(
            `SELECT id, status, instance_name, values_json FROM records WHERE id IN (${marks}) ORDER BY id`,
          )
          .all(...ids),
      )
    const opsOf = (laptop: Laptop) =>
      parsed(
        laptop.store.sqlite
          .prepare(
            `SELECT id, record_id, kind, field_path, old_value, new_value, hlc, user_id FROM record_ops WHERE record_id IN (${marks}) ORDER BY id`,
          )
          .all(...ids),
      )
    expect(read(b)).toEqual(read(a))
    expect(opsOf(b)).toEqual(opsOf(a))
  })
})
