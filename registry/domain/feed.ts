import { sql } from 'kysely'
import type { Change, ChangesPage } from '../../shared/registry-api'
import { AppFailure } from '../../shared/errors'
import type { RegistryDb } from '../db/database'

export type NewChange = { officeId: string | null; kind: string; entityId: string; data?: unknown }

/**
 * Appends changes in the caller's transaction. Each row takes the writing transaction's id
 * (txid, via the column default pg_current_xact_id()) and a sequence number; (txid, id) is its
 * position in the feed.
 */
export async function appendChanges(trx: RegistryDb, changes: readonly NewChange[]): Promise<void> {
  if (changes.length === 0) return
  const rows = changes.map((change) => ({
    office_id: change.officeId,
    kind: change.kind,
    entity_id: change.entityId,
    data: change.data ?? {},
  }))
  // Raw SQL: the rows travel as one JSON parameter, in their order (WITH ORDINALITY), so a batch
  // of a thousand ops is one short statement to parse; kysely cannot say it.
  await sql`
    INSERT INTO changes (office_id, kind, entity_id, data)
    SELECT (c.row->>'office_id')::uuid, c.row->>'kind', c.row->>'entity_id', c.row->'data'
    FROM jsonb_array_elements(${JSON.stringify(rows)}::jsonb) WITH ORDINALITY AS c(row, n)
    ORDER BY n`.execute(trx)
}

/** The op a feed row names (changes.op_id), as the device pushed it (insertCreated, merge-ops.ts). */
const opOf = sql`
  SELECT jsonb_build_object('opId', o.op_id, 'recordId', o.record_id,
    'formVersionId', r.form_version_id, 'kind', o.kind, 'fieldPath', o.field_path,
    'oldValue', o.old_value, 'newValue', o.new_value, 'hlc', o.hlc, 'baseHlc', o.base_hlc,
    'seen', o.seen, 'resolves', o.resolves, 'userId', o.user_id, 'deviceId', o.node)
  FROM record_ops o JOIN records r ON r.id = o.record_id
  WHERE o.op_id = changes.op_id`

type ChangeRow = {
  id: string
  txid: string
  office_id: string | null
  kind: string
  entity_id: string
  data: unknown
  created_at: Date | string
}

function parseCursor(cursor: string): { txid: string; id: string } {
  if (cursor === '') return { txid: '0', id: '0' }
  const [txid, id] = cursor.split(':')
  if (!txid || !id)
    throw new AppFailure(
      'validation',
      'The feed cursor is not valid; start again from the beginning.',
    )
  return { txid, id }
}

/**
 * Reads the page after `after`. Only rows written by transactions older than the oldest one still
 * running (pg_snapshot_xmin of this statement's snapshot) are returned: every such transaction has
 * ended, so its rows are all visible now and no row can later appear before the returned cursor.
 * A transaction still running holds the horizon back; its rows, and later ones, wait for it.
 */
export async function readChanges(
  db: RegistryDb,
  scope: { officeId: string | null; skipOpsOf?: string },
  after: string,
  limit: number,
): Promise<ChangesPage> {
  const from = parseCursor(after)
  const officeFilter =
    scope.officeId === null ? sql`` : sql`AND office_id = ${scope.officeId}::uuid`
  // A device's own ops are not sent back to it (it has them): their rows still move the cursor,
  // so a page of nothing but them costs a few bytes, not the ops again. The column is cheap to
  // test; rows written before it (migration 0011) name their device only in their data, and a
  // row that names its op (0013, always with the column) in that op, read only if neither says.
  const own = scope.skipOpsOf
    ? sql`(kind = 'record.op' AND coalesce(device_id, data->>'deviceId',
        (SELECT o.device_id::text FROM record_ops o WHERE o.op_id = changes.op_id))
        = ${scope.skipOpsOf})`
    : sql`false`
  // Raw SQL: kysely cannot say row comparison on xid8 or the snapshot functions. ORDER BY names
  // the table's columns: the text aliases of the same names would sort "10" before "8".
  // A row that names its op (op_id, a first push's, migration 0013) gets the op built back from
  // record_ops and its record, per row sent (two primary-key lookups), as it was pushed.
  const query = sql<ChangeRow & { own: boolean }>`
    SELECT id::text AS id, txid::text AS txid, office_id, kind, entity_id,
      CASE WHEN ${own} THEN NULL WHEN op_id IS NULL THEN data ELSE (${opOf})
      END AS data, created_at, ${own} AS own
    FROM changes
    WHERE (txid, id) > (${from.txid}::text::xid8, ${from.id}::bigint)
      AND txid < pg_snapshot_xmin(pg_current_snapshot())
      ${officeFilter}
    ORDER BY changes.txid, changes.id
    LIMIT ${limit + 1}`
  // The page must be read along the index, in feed order, stopping after `limit` rows. Right after
  // a bulk push the table's statistics lag far behind it (100,000 rows written in a minute,
  // before autovacuum analyzes them), and PostgreSQL then estimates a few dozen rows past the
  // cursor and takes a bitmap scan of every row after it, sorted: each page cost the whole rest
  // of the feed, and reading the feed from the start grew with its square. Without bitmap scans
  // it reads the index in order (`SET LOCAL`: this transaction only, so only when it is ours).
  const result = db.isTransaction
    ? await query.execute(db)
    : await db.transaction().execute(async (trx) => {
        await sql`SET LOCAL enable_bitmapscan = off`.execute(trx)
        return query.execute(trx)
      })
  const rows = result.rows.slice(0, limit)
  const last = rows.at(-1)
  const changes: Change[] = rows
    .filter((row) => !row.own)
    .map((row) => ({
      cursor: `${row.txid}:${row.id}`,
      kind: row.kind,
      entityId: row.entity_id,
      officeId: row.office_id,
      data: row.data,
      createdAt: new Date(row.created_at).toISOString(),
    }))
  return {
    changes,
    nextCursor: last ? `${last.txid}:${last.id}` : after,
    hasMore: result.rows.length > limit,
  }
}
