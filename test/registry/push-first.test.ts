import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { pendingOps, toSyncOp } from '../../electron/core/sync/local-ops'
import { readState } from '../../electron/core/sync/state'
import type { DeviceActor } from '../../registry/domain/actors'
import { readChanges } from '../../registry/domain/feed'
import { createdRow, pushOps } from '../../registry/domain/records'
import type { SyncOp } from '../../shared/sync/ops'
import type { World } from '../sync/helpers/world'
import { makeWorld } from '../sync/helpers/world'

/**
 * A first push stores each new record's row in one statement, with its key lists sent once per
 * shape of create (merge-ops.ts, insertCreated): every record must hold exactly what createdRow
 * folds it to, whatever its shape.
 */
describe.each(['pglite', 'postgres'] as const)('a first push on %s', (backend) => {
  let world: World
  beforeAll(async () => {
    world = await makeWorld({ backend })
  })
  afterAll(async () => {
    await world.close()
  })

  it('stores each record with its own clock over the keys its create wrote', async () => {
    const laptop = await world.laptop('first')
    await laptop.create({ name: 'a', age: 1 })
    await laptop.create({ village: 'Gulu' })
    await laptop.create({ name: 'b', age: 2 })
    await laptop.create({ age: 3, name: 'c', extra: [1, 2] })
    const ops = pendingOps(laptop.store.sqlite, laptop.device.id, 0, 100).map(toSyncOp)
    // One create named, one submitted: other keys, another status.
    const payload = (op: SyncOp | undefined): Record<string, unknown> =>
      (op?.newValue ?? {}) as Record<string, unknown>
    ;(ops[1] as SyncOp).newValue = { ...payload(ops[1]), instanceName: 'Gulu household' }
    ;(ops[2] as SyncOp).newValue = { ...payload(ops[2]), status: 'submitted' }
    const actor: DeviceActor = {
      kind: 'device',
      deviceId: readState(laptop.store.sqlite, 'registry_device_id') ?? '',
      officeId: world.officeId,
    }
    expect(await pushOps(world.registry.db, actor, { ops })).toEqual({
      accepted: 4,
      duplicates: 0,
    })
    const rows = await world.registry.db
      .selectFrom('records')
      .select(['id', 'values', 'field_clocks', 'status', 'instance_name', 'deleted'])
      .where(
        'id',
        'in',
        ops.map((op) => op.recordId),
      )
      .execute()
    expect(rows).toHaveLength(4)
    for (const op of ops) {
      const row = rows.find((r) => r.id === op.recordId)
      const { values, ...expected } = createdRow(op) ?? {}
      expect({
        values: row?.values,
        field_clocks: row?.field_clocks,
        status: row?.status,
        instance_name: row?.instance_name,
        deleted: row?.deleted,
      }).toEqual({ values, ...expected })
    }
    expect(rows.find((r) => r.id === ops[1]?.recordId)?.instance_name).toBe('Gulu household')
    expect(rows.find((r) => r.id === ops[2]?.recordId)?.status).toBe('submitted')
  })

  it('does not send a device its own ops back, told by the column or, for older rows, their data', async () => {
    const laptop = await world.laptop('own')
    await laptop.create({ name: 'mine', age: 5 })
    await laptop.create({ name: 'mine too', age: 6 })
    const ops = pendingOps(laptop.store.sqlite, laptop.device.id, 0, 100).map(toSyncOp)
    const deviceId = readState(laptop.store.sqlite, 'registry_device_id') ?? ''
    const actor: DeviceActor = { kind: 'device', deviceId, officeId: world.officeId }
    const head = await readChanges(world.registry.db, { officeId: world.officeId }, '', 10_000)
    const start = head.nextCursor
    await pushOps(world.registry.db, actor, { ops: ops.slice(0, 1) })
    // The second op through the general path (a record the registry does not hold is merged).
    await pushOps(world.registry.db, actor, { ops: [...ops.slice(1), ...ops.slice(0, 1)] })
    const rows = await world.registry.db
      .selectFrom('changes')
      .select(['device_id', 'data'])
      .where('kind', '=', 'record.op')
      .where(
        'entity_id',
        'in',
        ops.map((op) => op.recordId),
      )
      .execute()
    expect(rows.map((row) => row.device_id)).toEqual([deviceId, deviceId])
    // A row as written before the column: the device only in its data.
    await sql`UPDATE changes SET device_id = NULL WHERE entity_id = ${ops[1]?.recordId ?? ''}`.execute(
      world.registry.db,
    )
    const mine = await readChanges(
      world.registry.db,
      { officeId: world.officeId, skipOpsOf: deviceId },
      start,
      100,
    )
    expect(mine.changes).toEqual([])
    expect(mine.nextCursor).not.toBe(start)
    const others = await readChanges(
      world.registry.db,
      { officeId: world.officeId, skipOpsOf: 'another-device' },
      start,
      100,
    )
    expect(others.changes.map((change) => change.entityId).sort()).toEqual(
      ops.map((op) => op.recordId).sort(),
    )
    expect(others.nextCursor).toBe(mine.nextCursor)
  })
})
