import { sql } from 'kysely'
import type { ConflictFound, MergeOp } from '../../shared/sync/merge'
import { beats, clockOf, conflictsWith } from '../../shared/sync/merge'
import type { FeedOp } from '../../shared/sync/ops'
import { deletedKey, instanceNameKey, opWrites, statusKey } from '../../shared/sync/ops'
import type { RegistryDb } from '../db/database'
import { jsonText } from './actors'
import { appendChanges } from './feed'

type LockedRecord = { id: string; office_id: string; values: unknown; field_clocks: unknown }
type Folded = {
  values: Record<string, unknown>
  clocks: Record<string, string>
  columns: { status?: string; instance_name?: string | null; deleted?: boolean }
}

/** Folds ops into a record: per key the greatest (hlc, opId) wins, whatever the arrival order. */
export function foldOps(record: LockedRecord, ops: readonly MergeOp[]): Folded {
  const values = { ...(record.values as Record<string, unknown>) }
  const clocks = { ...(record.field_clocks as Record<string, string>) }
  const columns: Folded['columns'] = {}
  for (const op of ops) {
    for (const [key, value] of opWrites(op)) {
      if (!beats(op, clocks[key])) continue
      clocks[key] = clockOf(op)
      if (key === statusKey)
        columns.status = typeof value === 'string' ? value : JSON.stringify(value)
      else if (key === deletedKey) columns.deleted = value === true
      else if (key === instanceNameKey)
        columns.instance_name =
          value == null ? null : typeof value === 'string' ? value : JSON.stringify(value)
      else values[key] = value
    }
  }
  return { values, clocks, columns }
}

async function history(trx: RegistryDb, recordIds: string[]): Promise<MergeOp[]> {
  const rows = await trx
    .selectFrom('record_ops')
    .select([
      'op_id',
      'record_id',
      'kind',
      'field_path',
      'new_value',
      'hlc',
      'base_hlc',
      'seen',
      'user_id',
      'node',
      'device_id',
    ])
    .where('record_id', 'in', recordIds)
    .execute()
  return rows.map((row) => ({
    opId: row.op_id,
    recordId: row.record_id,
    kind: row.kind as MergeOp['kind'],
    fieldPath: row.field_path,
    newValue: row.new_value,
    hlc: row.hlc,
    baseHlc: row.base_hlc,
    seen: (row.seen ?? {}) as Record<string, string>,
    userId: row.user_id,
    deviceId: row.node ?? row.device_id,
  }))
}

async function recordConflicts(
  trx: RegistryDb,
  officeId: string,
  found: ConflictFound[],
): Promise<void> {
  if (found.length === 0) return
  // Both ops of a pair may arrive in one batch, and each finds the other.
  found = [...new Map(found.map((c) => [c.id, c])).values()]
  await trx
    .insertInto('conflicts')
    .values(
      found.map((c) => ({
        id: c.id,
        record_id: c.recordId,
        office_id: officeId,
        field_path: c.fieldPath,
        op_a: c.a.opId,
        op_b: c.b.opId,
        value_a: jsonText(c.a.value),
        value_b: jsonText(c.b.value),
        hlc_a: c.a.hlc,
        hlc_b: c.b.hlc,
        user_a: c.a.userId,
        user_b: c.b.userId,
        node_a: c.a.deviceId,
        node_b: c.b.deviceId,
      })),
    )
    .onConflict((oc) => oc.column('id').doNothing())
    .execute()
}

async function insertOps(
  trx: RegistryDb,
  ops: readonly FeedOp[],
  deviceId: string | null,
): Promise<Set<string>> {
  const inserted = await trx
    .insertInto('record_ops')
    .values(
      ops.map((op) => ({
        op_id: op.opId,
        record_id: op.recordId,
        kind: op.kind,
        field_path: op.fieldPath,
        old_value: jsonText(op.oldValue),
        new_value: jsonText(op.newValue),
        hlc: op.hlc,
        base_hlc: op.baseHlc,
        seen: jsonText(op.seen),
        resolves: jsonText(op.resolves),
        node: op.deviceId,
        device_id: deviceId,
        user_id: op.userId,
      })),
    )
    .onConflict((oc) => oc.column('op_id').doNothing())
    .returning('op_id')
    .execute()
  return new Set(inserted.map((row) => row.op_id))
}

/**
 * Stores ops for records the caller has locked, idempotently by op id: merges each record, records
 * the conflicts the new ops make, settles the conflicts resolve ops name, and appends every new op
 * to the change feed whole, so that devices merge it by the same rules. Returns the new ops.
 */
export async function mergeOps(
  trx: RegistryDb,
  records: readonly LockedRecord[],
  ops: readonly FeedOp[],
  deviceId: string | null,
): Promise<FeedOp[]> {
  if (ops.length === 0) return []
  const fresh = await insertOps(trx, ops, deviceId)
  const accepted = ops.filter((op) => fresh.has(op.opId))
  const touched = records.filter((record) => accepted.some((op) => op.recordId === record.id))
  const held =
    touched.length > 0
      ? await history(
          trx,
          touched.map((r) => r.id),
        )
      : []
  for (const record of touched) {
    const mine = accepted.filter((op) => op.recordId === record.id)
    const all = held.filter((op) => op.recordId === record.id)
    await recordConflicts(
      trx,
      record.office_id,
      mine.flatMap((op) => conflictsWith(op, all)),
    )
    const next = foldOps(record, mine)
    await trx
      .updateTable('records')
      .set({
        values: jsonText(next.values),
        field_clocks: jsonText(next.clocks),
        ...next.columns,
        updated_at: sql`now()`,
      })
      .where('id', '=', record.id)
      .execute()
  }
  await settle(trx, accepted)
  await appendChanges(
    trx,
    accepted.map((op) => ({
      officeId: records.find((r) => r.id === op.recordId)?.office_id ?? null,
      kind: 'record.op',
      entityId: op.recordId,
      data: op,
    })),
  )
  return accepted
}

async function settle(trx: RegistryDb, ops: readonly FeedOp[]): Promise<void> {
  for (const op of ops) {
    if (op.kind !== 'resolve' || op.resolves.length === 0) continue
    await trx
      .updateTable('conflicts')
      .set({ resolved_by_op: op.opId, resolved_at: sql`now()` })
      .where('id', 'in', op.resolves)
      .where('resolved_by_op', 'is', null)
      .execute()
  }
}
