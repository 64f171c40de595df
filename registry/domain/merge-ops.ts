import { sql } from 'kysely'
import type { ConflictFound, MergeOp } from '../../shared/sync/merge'
import { clockOf, conflictsWith } from '../../shared/sync/merge'
import type { FeedOp } from '../../shared/sync/ops'
import { deletedKey, instanceNameKey, opWrites, statusKey } from '../../shared/sync/ops'
import type { RegistryDb } from '../db/database'
import { jsonText } from './actors'

type LockedRecord = { id: string; office_id: string; values: unknown; field_clocks: unknown }
type Folded = {
  values: Record<string, unknown>
  clocks: Record<string, string>
  columns: { status?: string; instance_name?: string | null; deleted?: boolean }
}

/**
 * A record's field clocks as the merge reads them: key → "hlc opId" of the op that wrote it.
 * `records.field_clocks` keeps them packed (migration 0008): each distinct clock once, with the
 * keys it wrote (`{"hlc opId": ["age", "name", "#status"]}`), so a record made by one create
 * stores one clock, not thirty. Reads the form before that migration too (key → clock text), and
 * a JSON text of either.
 */
export function unpackClocks(stored: unknown): Record<string, string> {
  const packed: unknown = typeof stored === 'string' ? JSON.parse(stored) : stored
  const clocks: Record<string, string> = {}
  if (typeof packed !== 'object' || packed === null) return clocks
  for (const [name, entry] of Object.entries(packed as Record<string, unknown>)) {
    if (typeof entry === 'string') clocks[name] = entry
    else if (Array.isArray(entry)) for (const key of entry) clocks[String(key)] = name
  }
  return clocks
}

/** The stored form of field clocks (see unpackClocks): each clock once, with its keys. */
export function packClocks(clocks: Record<string, string>): Record<string, string[]> {
  const packed: Record<string, string[]> = {}
  for (const [key, clock] of Object.entries(clocks)) {
    const keys = packed[clock]
    if (keys) keys.push(key)
    else packed[clock] = [key]
  }
  return packed
}

/**
 * Folds ops into a record: per key the greatest (hlc, opId) wins, whatever the arrival order.
 * `clocks` comes back unpacked (key → clock).
 */
export function foldOps(record: LockedRecord, ops: readonly MergeOp[]): Folded {
  const values = { ...(record.values as Record<string, unknown>) }
  const clocks = unpackClocks(record.field_clocks)
  const columns: Folded['columns'] = {}
  for (const op of ops) {
    const clock = clockOf(op)
    for (const [key, value] of opWrites(op)) {
      const current = clocks[key]
      if (current !== undefined && !(clock > current)) continue
      clocks[key] = clock
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

/** The op columns of a JSON parameter of ops, with each op whole (`op`) and its place (`n`). */
const opsInput = (ops: readonly FeedOp[]) => sql`
  SELECT e.n, e.op, r.*
  FROM jsonb_array_elements(${JSON.stringify(ops)}::jsonb) WITH ORDINALITY AS e(op, n),
    jsonb_to_record(e.op) AS r("opId" uuid, "recordId" uuid, kind text, "fieldPath" text,
      "oldValue" jsonb, "newValue" jsonb, hlc text, "baseHlc" text, seen jsonb,
      resolves jsonb, "deviceId" text, "userId" text)`

/**
 * Inserts the ops and, for each op that was new, its row of the change feed (the op whole, in the
 * ops' order), in one statement, idempotently by op id; answers the ids that were new. Raw SQL:
 * the ops travel once, as one JSON parameter that PostgreSQL parses once for both tables (a
 * data-modifying WITH), far faster than thirteen thousand bound values; kysely cannot say it.
 * `officeOf`: each op's office, for its feed row.
 */
async function insertOps(
  trx: RegistryDb,
  ops: readonly FeedOp[],
  deviceId: string | null,
  officeOf: ReadonlyMap<string, string>,
): Promise<Set<string>> {
  const offices = ops.map((op) => officeOf.get(op.recordId) ?? null)
  const inserted = await sql<{ op_id: string }>`
    WITH input AS (${opsInput(ops)}), fresh AS (
      INSERT INTO record_ops (op_id, record_id, kind, field_path, old_value, new_value, hlc,
        base_hlc, seen, resolves, node, device_id, user_id)
      SELECT "opId", "recordId", kind, "fieldPath", "oldValue", "newValue", hlc, "baseHlc", seen,
        resolves, "deviceId", ${deviceId}::uuid, "userId"
      FROM input
      ON CONFLICT (op_id) DO NOTHING
      RETURNING op_id
    ), feed AS (
      INSERT INTO changes (office_id, kind, entity_id, data, device_id)
      SELECT (${JSON.stringify(offices)}::jsonb->>(input.n::int - 1))::uuid, 'record.op',
        input.op->>'recordId', input.op, input."deviceId"
      FROM input JOIN fresh ON fresh.op_id = input."opId"
      ORDER BY input.n
    )
    SELECT op_id FROM fresh`.execute(trx)
  return new Set(inserted.rows.map((row) => row.op_id))
}

/** A record made by one plain create, as `createdRow` (records.ts) folds it, without its values. */
export type CreatedRow = {
  field_clocks: Record<string, string[]>
  status: string
  instance_name: string | null
}

const lowerUuid = /^[0-9a-f-]{36}$/

/**
 * Whether the feed can name this op rather than hold it (migration 0013): the op readChanges
 * builds back from record_ops and the record is then this very op. Ids stored as uuid come back
 * in lower case, and a value absent from the op would come back as null.
 */
const rebuildable = (op: FeedOp): boolean =>
  lowerUuid.test(op.opId) &&
  lowerUuid.test(op.recordId) &&
  lowerUuid.test(op.formVersionId) &&
  op.oldValue !== undefined &&
  op.newValue !== undefined

/**
 * A batch of records new to the registry, each made by one plain create (a first push): the
 * records (their values taken from the ops, in id order), the ops and their feed rows (in the
 * ops' order) in one statement, the ops parsed once. A feed row names its op (`op_id`) rather
 * than holding it, when readChanges can build the very op back (`rebuildable`). A record some
 * other transaction created meanwhile is skipped with its ops; answers how many ops were stored and the records skipped,
 * which the caller merges the general way. `rows[i]` is what ops[i]'s record folds to.
 */
export async function insertCreated(
  trx: RegistryDb,
  ops: readonly FeedOp[],
  rows: readonly CreatedRow[],
  deviceId: string,
  officeId: string,
): Promise<{ accepted: number; missed: string[] }> {
  const meta = rows.map((row, i) => ({
    n: i + 1,
    c: row.field_clocks,
    s: row.status,
    nm: row.instance_name,
  }))
  const byRef = ops.every(rebuildable)
  // Answers one row: the count of ops stored and the records skipped (usually none), rather than
  // a row per op and record for Node to read back.
  const result = await sql<{ stored: number; missed: string[] | null }>`
    WITH input AS (${opsInput(ops)}),
    made AS (
      INSERT INTO records (id, office_id, form_version_id, "values", field_clocks, status,
        instance_name, deleted)
      SELECT i."recordId", ${officeId}::uuid, (i.op->>'formVersionId')::uuid,
        CASE WHEN jsonb_typeof(i."newValue"->'values') = 'object' THEN i."newValue"->'values'
          ELSE '{}'::jsonb END,
        m.c, m.s, m.nm, false
      FROM input i
        JOIN jsonb_to_recordset(${JSON.stringify(meta)}::jsonb) AS m(n bigint, c jsonb, s text,
          nm text) ON m.n = i.n
      ORDER BY i."recordId"
      ON CONFLICT (id) DO NOTHING
      RETURNING id
    ), fresh AS (
      INSERT INTO record_ops (op_id, record_id, kind, field_path, old_value, new_value, hlc,
        base_hlc, seen, resolves, node, device_id, user_id)
      SELECT "opId", "recordId", kind, "fieldPath", "oldValue", "newValue", hlc, "baseHlc", seen,
        resolves, "deviceId", ${deviceId}::uuid, "userId"
      FROM input WHERE "recordId" IN (SELECT id FROM made)
      ON CONFLICT (op_id) DO NOTHING
      RETURNING op_id
    ), feed AS (
      INSERT INTO changes (office_id, kind, entity_id, device_id, ${byRef ? sql`op_id` : sql`data`})
      SELECT ${officeId}::uuid, 'record.op', input.op->>'recordId', input."deviceId",
        ${byRef ? sql`input."opId"` : sql`input.op`}
      FROM input JOIN fresh ON fresh.op_id = input."opId"
      ORDER BY input.n
    )
    SELECT (SELECT count(*) FROM fresh)::int AS stored,
      (SELECT array_agg(DISTINCT op->>'recordId') FROM input
        WHERE "recordId" NOT IN (SELECT id FROM made)) AS missed`.execute(trx)
  const [answer] = result.rows
  return { accepted: answer?.stored ?? 0, missed: answer?.missed ?? [] }
}

/** Writes every merged record in one statement (raw SQL: an UPDATE … FROM a JSON recordset). */
async function updateRecords(
  trx: RegistryDb,
  folded: readonly { id: string; next: Folded }[],
): Promise<void> {
  if (folded.length === 0) return
  const rows = folded.map(({ id, next }) => ({
    id,
    v: next.values,
    c: packClocks(next.clocks),
    has_status: next.columns.status !== undefined,
    status: next.columns.status ?? null,
    has_name: next.columns.instance_name !== undefined,
    instance_name: next.columns.instance_name ?? null,
    deleted: next.columns.deleted ?? null,
  }))
  await sql`
    UPDATE records AS r SET "values" = u.v, field_clocks = u.c,
      status = CASE WHEN u.has_status THEN u.status ELSE r.status END,
      instance_name = CASE WHEN u.has_name THEN u.instance_name ELSE r.instance_name END,
      deleted = coalesce(u.deleted, r.deleted),
      updated_at = now()
    FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) AS u(id uuid, v jsonb, c jsonb,
      has_status boolean, status text, has_name boolean, instance_name text, deleted boolean)
    WHERE r.id = u.id`.execute(trx)
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>()
  for (const item of items) {
    const k = key(item)
    const group = groups.get(k)
    if (group) group.push(item)
    else groups.set(k, [item])
  }
  return groups
}

/**
 * Stores ops for records the caller has locked, idempotently by op id: merges each record, records
 * the conflicts the new ops make, settles the conflicts resolve ops name, and appends every new op
 * to the change feed whole, so that devices merge it by the same rules. Returns the new ops.
 * `created`: records the caller inserted in this transaction, already folded from these ops: they
 * have no history to read back and nothing to update.
 * One statement per table, whatever the batch size.
 */
export async function mergeOps(
  trx: RegistryDb,
  records: readonly LockedRecord[],
  ops: readonly FeedOp[],
  deviceId: string | null,
  created: ReadonlySet<string> = new Set(),
): Promise<FeedOp[]> {
  if (ops.length === 0) return []
  const officeOf = new Map(records.map((record) => [record.id, record.office_id]))
  const fresh = await insertOps(trx, ops, deviceId, officeOf)
  const accepted = ops.filter((op) => fresh.has(op.opId))
  const mine = groupBy(accepted, (op) => op.recordId)
  const touched = records.filter((record) => mine.has(record.id))
  const older = touched.filter((record) => !created.has(record.id)).map((record) => record.id)
  const held = groupBy(older.length > 0 ? await history(trx, older) : [], (op) => op.recordId)
  const found: ConflictFound[] = []
  const folded: { id: string; next: Folded }[] = []
  for (const record of touched) {
    const ops = mine.get(record.id) ?? []
    // A record made in this transaction holds exactly the ops just inserted, already folded.
    const made = created.has(record.id)
    const all = made ? ops : (held.get(record.id) ?? [])
    // An op alone in its record's history has nothing to be in conflict with.
    if (all.length > 1) for (const op of ops) found.push(...conflictsWith(op, all))
    if (!made) folded.push({ id: record.id, next: foldOps(record, ops) })
  }
  for (const [office, conflicts] of groupBy(found, (c) => officeOf.get(c.recordId) ?? ''))
    await recordConflicts(trx, office, conflicts)
  await updateRecords(trx, folded)
  await settle(trx, accepted)
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
