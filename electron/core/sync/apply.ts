import { stmt } from './statements'
import type Database from 'better-sqlite3'
import type { HlcClock } from '../../../shared/hlc'
import type { ConflictFound } from '../../../shared/sync/merge'
import { beats, clockOf, conflictsWith } from '../../../shared/sync/merge'
import type { FeedOp } from '../../../shared/sync/ops'
import {
  deletedKey,
  hlcNode,
  instanceNameKey,
  opWrites,
  plainCreate,
  statusKey,
} from '../../../shared/sync/ops'
import { recordHistory } from './local-ops'
import { countInsertedRecords } from '../records/index-batch'
import { noteUnindexed } from '../records/index-backlog'

/** The clock row of a record's create (migration 0009): it covers every key the create wrote. */
const createKey = '#create'
const statuses = new Set(['draft', 'complete', 'synced', 'approved', 'rejected'])
const localKind = (kind: FeedOp['kind']): string => (kind === 'resolve' ? 'set' : kind)

type RecordRow = { values_json: string }

/**
 * The row a record made by one plain create holds: its values, status and instance name, as
 * writeKeys would leave them (`plainCreate`, shared with the registry; a status the laptop does
 * not know is 'draft'). Null when the payload is not the plain case, which then takes the general
 * fold.
 */
function createdRow(
  op: FeedOp,
): { values: Record<string, unknown>; status: string; instanceName: string | null } | null {
  const made = plainCreate(op)
  if (!made) return null
  return {
    values: made.values,
    status: statuses.has(made.status) ? made.status : 'draft',
    instanceName: made.instanceName,
  }
}

/** Inserts the record an op names if this laptop lacks it, with `row`'s content if given. */
function ensureRecord(
  sqlite: Database.Database,
  op: FeedOp,
  now: number,
  row: ReturnType<typeof createdRow> = null,
): void {
  const version = stmt(sqlite, 'SELECT form_id FROM form_versions WHERE id = ?').get(
    op.formVersionId,
  ) as { form_id: string } | undefined
  if (!version)
    throw new Error(
      `The form version ${op.formVersionId} of record ${op.recordId} is not on this laptop.`,
    )
  const rid = Number(
    stmt(
      sqlite,
      `INSERT INTO records (id, form_id, form_version_id, status, instance_name, values_json, created_by, created_at, updated_by, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(
      op.recordId,
      version.form_id,
      op.formVersionId,
      row?.status ?? 'draft',
      row?.instanceName ?? null,
      row ? JSON.stringify(row.values) : '{}',
      op.userId,
      now,
      op.userId,
      now,
    ).lastInsertRowid,
  )
  // Counted now, indexed for search after the pull or package (records/index-backlog.ts) as a
  // bulk create is: a record the ops after its create fill in is indexed once, as it ends up, and
  // a page of records is one range (the note extends the range of the record before).
  noteUnindexed(sqlite, rid, rid)
  countInsertedRecords(sqlite, rid, rid)
}

function insertOp(sqlite: Database.Database, op: FeedOp, now: number): void {
  const seq = (
    stmt(sqlite, 'SELECT COALESCE(MAX(seq), 0) + 1 AS seq FROM record_ops').get() as {
      seq: number
    }
  ).seq
  const json = (value: unknown): string | null =>
    value === undefined ? null : JSON.stringify(value)
  stmt(
    sqlite,
    `INSERT INTO record_ops (id, seq, record_id, field_path, kind, old_value, new_value, hlc, device_id, user_id, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    op.opId,
    seq,
    op.recordId,
    op.fieldPath,
    localKind(op.kind),
    json(op.oldValue),
    json(op.newValue),
    op.hlc,
    op.deviceId ?? hlcNode(op.hlc),
    op.userId,
    now,
  )
  stmt(
    sqlite,
    'INSERT INTO sync_op_meta (op_id, base_hlc, seen, resolves, kind) VALUES (?, ?, ?, ?, ?)',
  ).run(
    op.opId,
    op.baseHlc,
    JSON.stringify(op.seen),
    JSON.stringify(op.resolves),
    op.kind === 'resolve' ? 'resolve' : null,
  )
}

export function storeConflicts(
  sqlite: Database.Database,
  found: readonly ConflictFound[],
  now: number,
): void {
  const insert = stmt(
    sqlite,
    `INSERT INTO sync_conflicts (id, record_id, field_path, op_a, op_b, value_a, value_b, hlc_a, hlc_b, user_a, user_b, node_a, node_b, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING`,
  )
  for (const c of found) {
    insert.run(
      c.id,
      c.recordId,
      c.fieldPath,
      c.a.opId,
      c.b.opId,
      JSON.stringify(c.a.value ?? null),
      JSON.stringify(c.b.value ?? null),
      c.a.hlc,
      c.b.hlc,
      c.a.userId,
      c.b.userId,
      c.a.deviceId,
      c.b.deviceId,
      now,
    )
  }
}

export function settleConflicts(
  sqlite: Database.Database,
  op: Pick<FeedOp, 'opId' | 'resolves'>,
  now: number,
): void {
  const settle = stmt(
    sqlite,
    'UPDATE sync_conflicts SET resolved_by_op = ?, resolved_at = ? WHERE id = ? AND resolved_by_op IS NULL',
  )
  for (const id of op.resolves) settle.run(op.opId, now, id)
}

/** Writes values of keys into the record row (the clocks are the caller's business). */
export function writeKeys(
  sqlite: Database.Database,
  recordId: string,
  writes: readonly [string, unknown][],
  userId: string,
  now: number,
): void {
  const record = stmt(sqlite, 'SELECT values_json FROM records WHERE id = ?').get(recordId) as
    RecordRow | undefined
  if (!record) return
  const values = JSON.parse(record.values_json) as Record<string, unknown>
  const columns: Record<string, unknown> = {}
  for (const [key, value] of writes) {
    if (key === statusKey) {
      if (typeof value === 'string' && statuses.has(value)) columns.status = value
    } else if (key === deletedKey) {
      columns.deleted_at = value === true ? now : null
      columns.deleted_by = value === true ? userId : null
    } else if (key === instanceNameKey)
      columns.instance_name =
        value == null ? null : typeof value === 'string' ? value : JSON.stringify(value)
    else values[key] = value
  }
  const sets = [
    'values_json = @values_json',
    'updated_by = @updated_by',
    'updated_at = @updated_at',
    ...Object.keys(columns).map((c) => `${c} = @${c}`),
  ]
  stmt(sqlite, `UPDATE records SET ${sets.join(', ')} WHERE id = @id`).run({
    ...columns,
    values_json: JSON.stringify(values),
    updated_by: userId,
    updated_at: now,
    id: recordId,
  })
}

/**
 * The clock of each key of a record: its own row when a later op wrote the key, else the
 * record's create when the create wrote it (the view sync_clocks, migration 0009).
 */
function clockOfKey(sqlite: Database.Database, recordId: string, key: string): string | undefined {
  const row = stmt(sqlite, 'SELECT clock FROM sync_clocks WHERE record_id = ? AND key = ?').get(
    recordId,
    key,
  ) as { clock: string } | undefined
  return row?.clock
}

/**
 * Writes the keys the op wins into the clocks and the record row. A record's first create keeps
 * one '#create' clock for every key it writes (a won key that has its own, older row gets the
 * create's clock there too); any other op, or a second create, writes each key it wins.
 */
function fold(sqlite: Database.Database, op: FeedOp, now: number): void {
  const setClock = stmt(
    sqlite,
    'INSERT INTO sync_field_clocks (record_id, key, clock) VALUES (?, ?, ?) ON CONFLICT (record_id, key) DO UPDATE SET clock = excluded.clock',
  )
  const ownRow = stmt(sqlite, 'SELECT 1 FROM sync_field_clocks WHERE record_id = ? AND key = ?')
  const firstCreate = op.kind === 'create' && !ownRow.get(op.recordId, createKey)
  const won: [string, unknown][] = []
  for (const [key, value] of opWrites(op)) {
    if (!beats(op, clockOfKey(sqlite, op.recordId, key))) continue
    if (!firstCreate || ownRow.get(op.recordId, key)) setClock.run(op.recordId, key, clockOf(op))
    won.push([key, value])
  }
  if (firstCreate) setClock.run(op.recordId, createKey, clockOf(op))
  if (won.length > 0) writeKeys(sqlite, op.recordId, won, op.userId, now)
}

/**
 * Applies one op from the registry inside the caller's transaction: stored once (by op id),
 * merged per key, its conflicts recorded, the conflicts it resolves settled, and the local clock
 * moved past it so that the next local edit is ordered after what was seen.
 */
export function applyRemoteOp(
  sqlite: Database.Database,
  clock: HlcClock,
  op: FeedOp,
  now: number,
): boolean {
  if (stmt(sqlite, 'SELECT 1 FROM record_ops WHERE id = ?').get(op.opId)) return false
  if (!stmt(sqlite, 'SELECT 1 FROM records WHERE id = ?').get(op.recordId)) {
    // A record new to this laptop made by one plain create (a first pull): written whole, with
    // the one '#create' clock; alone in its history, it is in conflict with nothing. The same
    // row the general path below leaves, in two statements instead of some seventy.
    const row = createdRow(op)
    ensureRecord(sqlite, op, now, row)
    if (row) {
      insertOp(sqlite, op, now)
      stmt(sqlite, 'INSERT INTO sync_field_clocks (record_id, key, clock) VALUES (?, ?, ?)').run(
        op.recordId,
        createKey,
        clockOf(op),
      )
      settleConflicts(sqlite, op, now)
      clock.receive(op.hlc)
      return true
    }
  }
  insertOp(sqlite, op, now)
  storeConflicts(
    sqlite,
    conflictsWith({ ...op, deviceId: hlcNode(op.hlc) }, recordHistory(sqlite, op.recordId)),
    now,
  )
  settleConflicts(sqlite, op, now)
  fold(sqlite, op, now)
  clock.receive(op.hlc)
  return true
}
