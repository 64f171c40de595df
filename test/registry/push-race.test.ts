import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { pendingOps, toSyncOp } from '../../electron/core/sync/local-ops'
import { readState } from '../../electron/core/sync/state'
import type { DeviceActor } from '../../registry/domain/actors'
import { unpackClocks } from '../../registry/domain/merge-ops'
import { pushOps } from '../../registry/domain/records'
import type { SyncOp } from '../../shared/sync/ops'
import type { World } from '../sync/helpers/world'
import { makeWorld } from '../sync/helpers/world'

/**
 * A first push stores new records, their ops and feed rows in one statement (records.ts,
 * insertCreated). A record another transaction creates while that statement waits is skipped by
 * it; its ops must then be merged the general way, not dropped as duplicates.
 */
describe('a first push racing another transaction that creates the same record', () => {
  let world: World
  beforeAll(async () => {
    world = await makeWorld({ backend: 'postgres' })
  })
  afterAll(async () => {
    await world.close()
  })

  it('merges the ops of the record created meanwhile, and stores the rest in one go', async () => {
    const laptop = await world.laptop('race')
    const other = await world.laptop('race-other')
    for (let i = 0; i < 3; i++) await laptop.create({ name: `r${i}`, age: i })
    await other.create({ name: 'rival', age: 99 })
    const actor = (on: typeof laptop): DeviceActor => ({
      kind: 'device',
      deviceId: readState(on.store.sqlite, 'registry_device_id') ?? '',
      officeId: world.officeId,
    })
    const ops = pendingOps(laptop.store.sqlite, laptop.device.id, 0, 100).map(toSyncOp)
    expect(ops.map((op) => op.kind)).toEqual(['create', 'create', 'create'])
    const [first] = ops as [SyncOp, ...SyncOp[]]
    // Another device's create of the same record, held open while the batch runs (another
    // device, so the batch does not queue on the held transaction's device row first). Both
    // creates must end in the record's history, and the later clock wins.
    const [theirs] = pendingOps(other.store.sqlite, other.device.id, 0, 100).map(toSyncOp)
    if (!theirs) throw new Error('the other laptop made no op')
    const rival: SyncOp = { ...theirs, recordId: first.recordId }
    const winner = `${rival.hlc} ${rival.opId}` > `${first.hlc} ${first.opId}` ? rival : first
    let release = (): void => undefined
    const gate = new Promise<void>((resolve) => (release = resolve))
    let inside = (): void => undefined
    const started = new Promise<void>((resolve) => (inside = resolve))
    const held = world.registry.db.transaction().execute(async (trx) => {
      expect(await pushOps(trx, actor(other), { ops: [rival] })).toEqual({
        accepted: 1,
        duplicates: 0,
      })
      inside()
      await gate
    })
    await started
    const batch = pushOps(world.registry.db, actor(laptop), { ops })
    // The batch's insert waits on the held transaction's row (a lock wait, seen by PostgreSQL).
    for (;;) {
      const waiting = await sql<{ n: number }>`
        SELECT count(*)::int AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock'`.execute(
        world.registry.db,
      )
      if ((waiting.rows[0]?.n ?? 0) > 0) break
      await new Promise((resolve) => setImmediate(resolve))
    }
    release()
    await held
    expect(await batch).toEqual({ accepted: 3, duplicates: 0 })

    const stored = await world.registry.db
      .selectFrom('record_ops')
      .select(['op_id', 'record_id'])
      .where(
        'record_id',
        'in',
        ops.map((op) => op.recordId),
      )
      .execute()
    expect(stored.map((row) => row.op_id).sort()).toEqual(
      [...ops.map((op) => op.opId), rival.opId].sort(),
    )
    const feed = await world.registry.db
      .selectFrom('changes')
      // A first push's row names its op (migration 0013); others hold it.
      .select(sql<string>`coalesce(op_id::text, data->>'opId')`.as('op_id'))
      .where('kind', '=', 'record.op')
      .where(
        'entity_id',
        'in',
        ops.map((op) => op.recordId),
      )
      .orderBy('txid')
      .orderBy('id')
      .execute()
    expect(feed.map((row) => row.op_id)).toEqual([
      rival.opId,
      ...ops.slice(1).map((op) => op.opId),
      first.opId,
    ])
    const record = await world.registry.db
      .selectFrom('records')
      .select(['values', 'field_clocks'])
      .where('id', '=', first.recordId)
      .executeTakeFirstOrThrow()
    // The later clock wins every key both creates wrote.
    expect(record.values).toEqual(
      winner === rival ? { name: 'rival', age: 99 } : { name: 'r0', age: 0 },
    )
    expect(new Set(Object.values(unpackClocks(record.field_clocks)))).toEqual(
      new Set([`${winner.hlc} ${winner.opId}`]),
    )
  })
})
