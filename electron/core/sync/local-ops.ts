import { stmt } from './statements'
import type Database from 'better-sqlite3'
import type { MergeOp } from '../../../shared/sync/merge'
import type { OpKind, SyncOp } from '../../../shared/sync/ops'
import { hlcNode } from '../../../shared/sync/ops'

/** record_ops joined with what sync keeps beside each op. */
export type OpRow = {
  id: string
  seq: number
  record_id: string
  field_path: string
  kind: string
  old_value: string | null
  new_value: string | null
  hlc: string
  device_id: string
  user_id: string
  base_hlc: string | null
  seen: string | null
  resolves: string | null
  meta_kind: string | null
  form_version_id: string
}

const opColumns = `o.id, o.seq, o.record_id, o.field_path, o.kind, o.old_value, o.new_value, o.hlc, o.device_id,
  o.user_id, m.base_hlc, m.seen, m.resolves, m.kind AS meta_kind, r.form_version_id`

const parse = (text: string | null): unknown => (text === null ? null : JSON.parse(text))

export function toSyncOp(row: OpRow): SyncOp {
  return {
    opId: row.id,
    recordId: row.record_id,
    formVersionId: row.form_version_id,
    kind: (row.meta_kind ?? row.kind) as OpKind,
    fieldPath: row.field_path,
    oldValue: parse(row.old_value),
    newValue: parse(row.new_value),
    hlc: row.hlc,
    baseHlc: row.base_hlc,
    seen: row.seen ? (JSON.parse(row.seen) as Record<string, string>) : {},
    resolves: row.resolves ? (JSON.parse(row.resolves) as string[]) : [],
    userId: row.user_id,
  }
}

export function toMergeOp(row: OpRow): MergeOp {
  return { ...toSyncOp(row), deviceId: hlcNode(row.hlc) }
}

/** This laptop's ops after the push cursor, in local order. */
export function pendingOps(
  sqlite: Database.Database,
  selfId: string,
  afterSeq: number,
  limit: number,
): OpRow[] {
  return stmt(
    sqlite,
    `SELECT ${opColumns} FROM record_ops o JOIN records r ON r.id = o.record_id
       LEFT JOIN sync_op_meta m ON m.op_id = o.id
       WHERE o.device_id = ? AND o.seq > ? ORDER BY o.seq LIMIT ?`,
  ).all(selfId, afterSeq, limit) as OpRow[]
}

export function countPending(sqlite: Database.Database, selfId: string, afterSeq: number): number {
  const row = stmt(
    sqlite,
    'SELECT count(*) AS n FROM record_ops WHERE device_id = ? AND seq > ?',
  ).get(selfId, afterSeq) as { n: number }
  return row.n
}

export function recordHistory(sqlite: Database.Database, recordId: string): MergeOp[] {
  const rows = stmt(
    sqlite,
    `SELECT ${opColumns} FROM record_ops o JOIN records r ON r.id = o.record_id
       LEFT JOIN sync_op_meta m ON m.op_id = o.id WHERE o.record_id = ?`,
  ).all(recordId) as OpRow[]
  return rows.map(toMergeOp)
}
