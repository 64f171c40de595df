import type Database from 'better-sqlite3'
import { stmt } from '../sync/statements'
import { indexTextOf } from './index-text'

/**
 * What used to be per-row insert triggers (migration 0011): the search text (0003), the answer
 * tokens (0009), the live counts per status (0002) and, for this laptop's creates, their one sync
 * clock (0009). Every writer that inserts records or local create ops calls these in the same
 * transaction, so a record, its count and its clock commit together, and its index entries too,
 * except a bulk create's, which index-backlog.ts writes after the commit (migration 0012). Sync
 * (which inserts a record empty, then applies its values) indexes by SQL, one statement per
 * batch; createRecords from the values in hand (`indexSearchEntries`). The SQL expressions are
 * the update triggers' (0003, 0009), which still keep edits and deletes.
 */

export const searchTextSql = `COALESCE(instance_name, '') || ' ' || COALESCE((
  SELECT group_concat(value, ' ') FROM json_tree(values_json) WHERE type IN ('text', 'integer', 'real')), '')`

export const answerTokensSql = `(SELECT group_concat('q' || hex(t.key) || 'x' || hex(COALESCE(e.value, t.value)), ' ')
  FROM json_each(values_json) t
  LEFT JOIN json_each(CASE WHEN t.type = 'array' THEN t.value END) e
  WHERE (t.type IN ('text', 'integer', 'real', 'true', 'false') OR e.type IN ('text', 'integer', 'real', 'true', 'false'))
    AND length(COALESCE(e.value, t.value)) <= 64)`

/** Not in a range a bulk create left to index later (migration 0012, index-backlog.ts). */
const indexedNow = 'NOT EXISTS (SELECT 1 FROM records_unindexed WHERE first_rid <= rid AND last_rid >= rid)'

/** Indexes and counts the records inserted with rids first..last (contiguous: one writer). */
export function indexInsertedRecords(sqlite: Database.Database, first: number, last: number): void {
  if (last < first) return
  stmt(
    sqlite,
    `INSERT INTO records_fts (rowid, text) SELECT rid, ${searchTextSql} FROM records WHERE rid BETWEEN ? AND ? AND ${indexedNow}`,
  ).run(first, last)
  stmt(
    sqlite,
    `INSERT INTO records_answers (rowid, a) SELECT rid, ${answerTokensSql} FROM records WHERE rid BETWEEN ? AND ? AND ${indexedNow}`,
  ).run(first, last)
  countInsertedRecords(sqlite, first, last)
}

/** Adds the records inserted with rids first..last to the live counts per form and status. */
export function countInsertedRecords(sqlite: Database.Database, first: number, last: number): void {
  if (last < first) return
  stmt(
    sqlite,
    `INSERT INTO record_counts (form_id, status, n)
       SELECT form_id, status, count(*) FROM records WHERE rid BETWEEN ? AND ? AND deleted_at IS NULL GROUP BY form_id, status
     ON CONFLICT (form_id, status) DO UPDATE SET n = n + excluded.n`,
  ).run(first, last)
}

/** A record just inserted, as its writer has it in hand. */
export type NewlyInserted = {
  rid: number
  formId: string
  status: string
  instanceName: string | null
  values: Record<string, unknown>
}

/** What the search indexes need of a record: its rid, name and values. */
export type Indexable = Pick<NewlyInserted, 'rid' | 'instanceName' | 'values'>

/**
 * Writes the search text and answer tokens of records not yet in either index, from the values
 * in hand: the same rows as `indexInsertedRecords` (index-text.ts builds the text SQL would),
 * without reading each record's JSON back. A record whose text only SQL can spell exactly is
 * indexed by the SQL expression.
 */
export function indexSearchEntries(sqlite: Database.Database, records: readonly Indexable[]): void {
  const text = stmt(sqlite, 'INSERT INTO records_fts (rowid, text) VALUES (?, ?)')
  const answers = stmt(sqlite, 'INSERT INTO records_answers (rowid, a) VALUES (?, ?)')
  for (const record of records) {
    const entries = indexTextOf(record.instanceName, record.values)
    if (entries) {
      text.run(record.rid, entries.text)
      answers.run(record.rid, entries.tokens)
      continue
    }
    stmt(sqlite, `INSERT INTO records_fts (rowid, text) SELECT rid, ${searchTextSql} FROM records WHERE rid = ?`).run(record.rid)
    stmt(sqlite, `INSERT INTO records_answers (rowid, a) SELECT rid, ${answerTokensSql} FROM records WHERE rid = ?`).run(record.rid)
  }
}

/** Adds records just inserted to the live counts per form and status. */
export function countNewRecords(sqlite: Database.Database, records: readonly NewlyInserted[]): void {
  const counts = new Map<string, { formId: string; status: string; n: number }>()
  for (const record of records) {
    const key = `${record.formId}\u0000${record.status}`
    const count = counts.get(key)
    if (count) count.n++
    else counts.set(key, { formId: record.formId, status: record.status, n: 1 })
  }
  const add = stmt(
    sqlite,
    'INSERT INTO record_counts (form_id, status, n) VALUES (?, ?, ?) ON CONFLICT (form_id, status) DO UPDATE SET n = n + excluded.n',
  )
  for (const { formId, status, n } of counts.values()) add.run(formId, status, n)
}

/** The '#create' clock of this laptop's create ops with seqs first..last (sync_clocks, 0009). */
export function clockLocalCreates(sqlite: Database.Database, first: number, last: number): void {
  if (last < first) return
  stmt(
    sqlite,
    `INSERT INTO sync_field_clocks (record_id, key, clock)
       SELECT record_id, '#create', hlc || ' ' || id FROM record_ops
       WHERE seq BETWEEN ? AND ? AND kind = 'create' AND device_id = (SELECT id FROM devices WHERE is_self = 1)`,
  ).run(first, last)
}
