import { stmt } from './statements'
import type Database from 'better-sqlite3'
import { uuidv7 } from 'uuidv7'
import type { SyncConflict } from '../../../shared/api/sync'
import { AppFailure } from '../../../shared/errors'
import { decodeHlc } from '../../../shared/hlc'
import type { Device } from '../device'
import { resolutionKey } from '../../../shared/sync/conflicts'
import { deletedKey, instanceNameKey, statusKey } from '../../../shared/sync/ops'
import { settleConflicts, writeKeys } from './apply'

type ConflictRow = {
  id: string
  record_id: string
  field_path: string
  op_a: string
  op_b: string
  value_a: string | null
  value_b: string | null
  hlc_a: string
  hlc_b: string
  user_a: string
  user_b: string
  node_a: string | null
  node_b: string | null
  created_at: number
}

function currentValue(sqlite: Database.Database, recordId: string, key: string): unknown {
  const row = stmt(
    sqlite,
    'SELECT values_json, status, instance_name, deleted_at FROM records WHERE id = ?',
  ).get(recordId) as
    | {
        values_json: string
        status: string
        instance_name: string | null
        deleted_at: number | null
      }
    | undefined
  if (!row) return null
  if (key === deletedKey) return row.deleted_at !== null
  if (key === statusKey) return row.status
  if (key === instanceNameKey) return row.instance_name
  return (JSON.parse(row.values_json) as Record<string, unknown>)[key] ?? null
}

/** Open conflicts, oldest first, with both sides and what every replica shows now. */
export function listConflicts(sqlite: Database.Database, recordId?: string): SyncConflict[] {
  const rows = stmt(
    sqlite,
    `SELECT * FROM sync_conflicts WHERE resolved_by_op IS NULL ${recordId ? 'AND record_id = @recordId' : ''} ORDER BY created_at, id`,
  ).all(recordId ? { recordId } : {}) as ConflictRow[]
  const side = (
    opId: string,
    value: string | null,
    hlc: string,
    userId: string,
    node: string | null,
  ) => ({
    opId,
    value: value === null ? null : (JSON.parse(value) as unknown),
    hlc,
    at: decodeHlc(hlc).ms,
    userId,
    node,
  })
  return rows.map((row) => ({
    id: row.id,
    recordId: row.record_id,
    fieldPath: row.field_path,
    a: side(row.op_a, row.value_a, row.hlc_a, row.user_a, row.node_a),
    b: side(row.op_b, row.value_b, row.hlc_b, row.user_b, row.node_b),
    current: currentValue(sqlite, row.record_id, resolutionKey(row.field_path)),
    createdAt: row.created_at,
  }))
}

export function countOpenConflicts(sqlite: Database.Database): number {
  return (
    stmt(sqlite, 'SELECT count(*) AS n FROM sync_conflicts WHERE resolved_by_op IS NULL').get() as {
      n: number
    }
  ).n
}

/**
 * Settles a conflict with a chosen or typed value: one 'resolve' op in the local log (it syncs
 * like any edit, and closes the conflict on every replica that receives it), the value written,
 * the conflict closed here at once. The trigger of migration 0004 notes what the op had seen.
 */
export function resolveConflict(
  sqlite: Database.Database,
  device: Device,
  userId: string,
  conflictId: string,
  value: unknown,
  now = Date.now(),
): string {
  return sqlite.transaction(() => {
    const row = stmt(
      sqlite,
      'SELECT record_id, field_path, resolved_by_op FROM sync_conflicts WHERE id = ?',
    ).get(conflictId) as
      { record_id: string; field_path: string; resolved_by_op: string | null } | undefined
    if (!row) throw new AppFailure('not_found', 'That conflict is not on this laptop.')
    if (row.resolved_by_op)
      throw new AppFailure('conflict', 'This conflict has already been resolved.')
    const key = resolutionKey(row.field_path)
    const opId = uuidv7()
    const seq = (
      stmt(sqlite, 'SELECT COALESCE(MAX(seq), 0) + 1 AS seq FROM record_ops').get() as {
        seq: number
      }
    ).seq
    const hlc = device.clock.tick()
    stmt(
      sqlite,
      `INSERT INTO record_ops (id, seq, record_id, field_path, kind, old_value, new_value, hlc, device_id, user_id, created_at)
         VALUES (?, ?, ?, ?, 'set', ?, ?, ?, ?, ?, ?)`,
    ).run(
      opId,
      seq,
      row.record_id,
      key,
      JSON.stringify(currentValue(sqlite, row.record_id, key)),
      JSON.stringify(value),
      hlc,
      device.id,
      userId,
      now,
    )
    stmt(sqlite, "UPDATE sync_op_meta SET kind = 'resolve', resolves = ? WHERE op_id = ?").run(
      JSON.stringify([conflictId]),
      opId,
    )
    writeKeys(sqlite, row.record_id, [[key, value]], userId, now)
    settleConflicts(sqlite, { opId, resolves: [conflictId] }, now)
    stmt(sqlite, 'UPDATE devices SET last_hlc = ? WHERE is_self = 1').run(device.clock.current())
    return opId
  })()
}
