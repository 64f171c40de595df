import type { Transaction } from 'kysely'
import { sql } from 'kysely'
import { uuidv7 } from 'uuidv7'
import { AppFailure } from '../../../shared/errors'
import type { FieldValue, RecordValues } from '../../../shared/records/values'
import { sameValue } from '../../../shared/records/values'
import type { Store } from '../db/open'
import type { RecordOpKind, RecordStatus, Schema } from '../db/schema'
import type { Device } from '../device'
import { stmt } from '../sync/statements'
import { bulkCreate, indexWhenIdle, noteUnindexed } from './index-backlog'
import { clockLocalCreates, countNewRecords, indexSearchEntries, type NewlyInserted } from './index-batch'
import { insertRows } from './insert-rows'

export type Actor = { device: Device; userId: string; now?: () => number }
export type FieldChange = { path: string; value: unknown }
export type AppendedOp = { id: string; seq: number; hlc: string }
export type NewRecord = {
  formVersionId: string
  values: Record<string, unknown>
  instanceName?: string | null
  instanceXml?: string | null
  status?: RecordStatus
}

type Trx = Transaction<Schema>
type Sqlite = Store['sqlite']
type OpInput = {
  recordId: string
  path: string
  kind: RecordOpKind
  oldValue: unknown
  newValue: unknown
  revertsOpId?: string
}

const json = (value: unknown): string | null => (value === undefined ? null : JSON.stringify(value))
const clock = (actor: Actor): number => (actor.now ?? Date.now)()

/** Appends ops inside the caller's transaction; the log is the audit trail and the unit of sync. */
async function appendOps(trx: Trx, actor: Actor, ops: OpInput[]): Promise<AppendedOp[]> {
  if (ops.length === 0) return []
  const now = clock(actor)
  const last = await trx
    .selectFrom('record_ops')
    .select(sql<number>`COALESCE(MAX(seq), 0)`.as('seq'))
    .executeTakeFirstOrThrow()
  let seq = last.seq
  const rows = ops.map((op) => ({
    id: uuidv7(),
    seq: ++seq,
    hlc: actor.device.clock.tick(),
    record_id: op.recordId,
    field_path: op.path,
    kind: op.kind,
    old_value: json(op.oldValue),
    new_value: json(op.newValue),
    reverts_op_id: op.revertsOpId ?? null,
    device_id: actor.device.id,
    user_id: actor.userId,
    created_at: now,
  }))
  // One multi-row statement per 500 ops keeps under SQLite's bound-parameter limit.
  for (let i = 0; i < rows.length; i += 500) await trx.insertInto('record_ops').values(rows.slice(i, i + 500)).execute()
  await trx.updateTable('devices').set({ last_hlc: actor.device.clock.current() }).where('id', '=', actor.device.id).execute()
  return rows.map(({ id, seq, hlc }) => ({ id, seq, hlc }))
}

/**
 * Inserts records, each with a single 'create' op carrying its initial values whole (one op, not
 * one per field: history, restore and sync read the create's values, and its one clock covers
 * them, migration 0009). Prepared statements, run synchronously inside the caller's kysely
 * transaction (which holds the connection): a bulk import pays SQLite, not a query builder, per
 * record. Records and ops go in a hundred rows per statement (insert-rows.ts), their index
 * entries are built from the values in hand (index-text.ts), or after the commit for a bulk
 * create (index-backlog.ts), and the op's payload embeds the values' JSON text instead of
 * serialising them twice.
 */
function insertRecords(sqlite: Sqlite, actor: Actor, inputs: NewRecord[]): { ids: string[]; ops: AppendedOp[] } {
  const forms = new Map<string, string>()
  const formOf = stmt(sqlite, 'SELECT form_id FROM form_versions WHERE id = ?')
  for (const input of inputs) {
    if (forms.has(input.formVersionId)) continue
    const version = formOf.get(input.formVersionId) as { form_id: string } | undefined
    if (!version) throw new AppFailure('not_found', 'That form version is not on this laptop; import the form first.')
    forms.set(input.formVersionId, version.form_id)
  }
  // This transaction is the only writer, so it numbers its records and ops itself.
  let seq = (stmt(sqlite, 'SELECT COALESCE(MAX(seq), 0) AS seq FROM record_ops').get() as { seq: number }).seq
  let rid = (stmt(sqlite, 'SELECT COALESCE(MAX(rid), 0) AS rid FROM records').get() as { rid: number }).rid
  const now = clock(actor)
  const ids: string[] = []
  const ops: AppendedOp[] = []
  const inserted: NewlyInserted[] = []
  const recordRows: unknown[] = []
  const opRows: unknown[] = []
  for (const input of inputs) {
    const id = uuidv7()
    const status = input.status ?? 'draft'
    const instanceName = input.instanceName ?? null
    const valuesJson = JSON.stringify(input.values)
    const formId = forms.get(input.formVersionId) ?? ''
    recordRows.push(++rid, id, formId, input.formVersionId, status, instanceName, valuesJson, input.instanceXml ?? null, actor.userId, now, actor.userId, now)
    inserted.push({ rid, formId, status, instanceName, values: input.values })
    // Byte for byte JSON.stringify({ formVersionId, values, status, instanceName }).
    const payload = `{"formVersionId":${JSON.stringify(input.formVersionId)},"values":${valuesJson},"status":${JSON.stringify(status)},"instanceName":${JSON.stringify(instanceName)}}`
    const op = { id: uuidv7(), seq: ++seq, hlc: actor.device.clock.tick() }
    opRows.push(op.id, op.seq, id, payload, op.hlc, actor.device.id, actor.userId, now)
    ids.push(id)
    ops.push(op)
  }
  if (inputs.length === 0) return { ids, ops }
  insertRows(sqlite, 'INSERT INTO records (rid, id, form_id, form_version_id, status, instance_name, values_json, instance_xml, created_by, created_at, updated_by, updated_at)', '(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)', 12, recordRows)
  insertRows(sqlite, 'INSERT INTO record_ops (id, seq, record_id, field_path, kind, new_value, hlc, device_id, user_id, created_at)', "(?, ?, ?, '', 'create', ?, ?, ?, ?, ?)", 8, opRows)
  countNewRecords(sqlite, inserted)
  // A bulk create is acknowledged without its search entries, which the backlog writes next
  // (index-backlog.ts); a few records are indexed in their own transaction.
  const first = inserted[0]?.rid ?? 0
  if (inserted.length >= bulkCreate) noteUnindexed(sqlite, first, rid)
  else indexSearchEntries(sqlite, inserted)
  // The seqs of one transaction are consecutive: it is the only writer.
  clockLocalCreates(sqlite, ops[0]?.seq ?? 0, seq)
  stmt(sqlite, 'UPDATE devices SET last_hlc = ? WHERE id = ?').run(actor.device.clock.current(), actor.device.id)
  return { ids, ops }
}

/** Creates a record and logs its creation with every initial value, in one transaction. */
export async function createRecord(
  store: Store,
  actor: Actor,
  formVersionId: string,
  values: Record<string, unknown>,
  extra: Omit<NewRecord, 'formVersionId' | 'values'> = {},
): Promise<{ id: string; ops: AppendedOp[] }> {
  const { ids, ops } = await store.db.transaction().execute(() => Promise.resolve(insertRecords(store.sqlite, actor, [{ ...extra, formVersionId, values }])))
  return { id: ids[0] ?? '', ops }
}

/**
 * Creates many records in one transaction (imports, benchmarks): all commit or none. From
 * `bulkCreate` records on, their search entries follow in the core's idle time.
 */
export async function createRecords(store: Store, actor: Actor, inputs: NewRecord[]): Promise<string[]> {
  const { ids } = await store.db.transaction().execute(() => Promise.resolve(insertRecords(store.sqlite, actor, inputs)))
  if (inputs.length >= bulkCreate) indexWhenIdle(store)
  return ids
}

type LiveRecord = { values: RecordValues; status: RecordStatus; instanceName: string | null; deletedAt: number | null }

/** Reads a record for change inside a transaction; a missing one is refused for the person. */
export async function loadForChange(trx: Trx, recordId: string, allowDeleted = false): Promise<LiveRecord> {
  const row = await trx
    .selectFrom('records')
    .select(['values_json', 'status', 'instance_name', 'deleted_at'])
    .where('id', '=', recordId)
    .executeTakeFirst()
  if (!row) throw new AppFailure('not_found', 'That record does not exist on this laptop.')
  if (row.deleted_at !== null && !allowDeleted) {
    throw new AppFailure('conflict', 'This record was deleted. Restore it from the deleted records first, then change it.')
  }
  return {
    values: JSON.parse(row.values_json) as RecordValues,
    status: row.status,
    instanceName: row.instance_name,
    deletedAt: row.deleted_at,
  }
}

export type ChangeOptions = { instanceName?: string | null; instanceXml?: string | null; kind?: 'set' | 'revert'; revertsOpId?: string }

/** Sets field values of a record: the values and their ops commit together or not at all. */
export async function applyFieldChanges(trx: Trx, actor: Actor, recordId: string, changes: FieldChange[], options: ChangeOptions = {}): Promise<AppendedOp[]> {
  const record = await loadForChange(trx, recordId)
  const values: Record<string, unknown> = record.values
  const ops: OpInput[] = []
  for (const change of changes) {
    if (sameValue(values[change.path] as FieldValue | undefined, change.value as FieldValue)) continue
    const kind = options.kind ?? 'set'
    ops.push({ recordId, path: change.path, kind, oldValue: values[change.path] ?? null, newValue: change.value, revertsOpId: options.revertsOpId })
    values[change.path] = change.value
  }
  const renamed = options.instanceName !== undefined && options.instanceName !== record.instanceName
  if (renamed) ops.push({ recordId, path: '#instanceName', kind: 'set', oldValue: record.instanceName, newValue: options.instanceName })
  if (ops.length === 0 && options.instanceXml === undefined) return []
  await trx
    .updateTable('records')
    .set({
      values_json: JSON.stringify(values),
      updated_by: actor.userId,
      updated_at: clock(actor),
      ...(renamed ? { instance_name: options.instanceName ?? null } : {}),
      ...(options.instanceXml !== undefined ? { instance_xml: options.instanceXml } : {}),
    })
    .where('id', '=', recordId)
    .execute()
  return appendOps(trx, actor, ops)
}

export async function setFieldValues(store: Store, actor: Actor, recordId: string, changes: FieldChange[], options: ChangeOptions = {}): Promise<AppendedOp[]> {
  return store.db.transaction().execute((trx) => applyFieldChanges(trx, actor, recordId, changes, options))
}

/** Moves a record to another status (complete, approved, …) and logs who did it. */
export async function setStatus(store: Store, actor: Actor, recordId: string, status: RecordStatus): Promise<AppendedOp[]> {
  return store.db.transaction().execute(async (trx) => {
    const record = await loadForChange(trx, recordId)
    if (record.status === status) return []
    await trx.updateTable('records').set({ status, updated_by: actor.userId, updated_at: clock(actor) }).where('id', '=', recordId).execute()
    return appendOps(trx, actor, [{ recordId, path: '', kind: 'status', oldValue: record.status, newValue: status }])
  })
}

/** Soft delete: the record leaves lists and search but keeps its values and history for undo. */
export async function deleteRecord(store: Store, actor: Actor, recordId: string): Promise<AppendedOp[]> {
  return store.db.transaction().execute(async (trx) => {
    const record = await loadForChange(trx, recordId, true)
    if (record.deletedAt !== null) return []
    const now = clock(actor)
    await trx.updateTable('records').set({ deleted_at: now, deleted_by: actor.userId, updated_by: actor.userId, updated_at: now }).where('id', '=', recordId).execute()
    return appendOps(trx, actor, [{ recordId, path: '', kind: 'delete', oldValue: null, newValue: now }])
  })
}

/** Undoes a soft delete. Restoring a live record changes nothing. */
export async function restoreRecord(store: Store, actor: Actor, recordId: string): Promise<AppendedOp[]> {
  return store.db.transaction().execute(async (trx) => {
    const record = await loadForChange(trx, recordId, true)
    if (record.deletedAt === null) return []
    await trx.updateTable('records').set({ deleted_at: null, deleted_by: null, updated_by: actor.userId, updated_at: clock(actor) }).where('id', '=', recordId).execute()
    return appendOps(trx, actor, [{ recordId, path: '', kind: 'restore', oldValue: record.deletedAt, newValue: null }])
  })
}
