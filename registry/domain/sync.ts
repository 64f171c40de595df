import { createHash } from 'node:crypto'
import { sql } from 'kysely'
import { AppFailure } from '../../shared/errors'
import type { ConflictDto } from '../../shared/registry-api'
import type { SyncStateWithEpoch } from '../../shared/sync/epoch'
import type { RegistryDb } from '../db/database'
import type { Actor, DeviceActor } from './actors'
import { requireHq } from './actors'
import { isUuid } from './forms'
import { readEpoch } from './identity'

/**
 * The mark of the feed row at `cursor`: a digest of its kind, entity and the time it was written,
 * or null when no row stands there. A registry restored from an older backup reuses transaction
 * ids and row ids, so a new row can take a position a device has already read; its mark differs.
 * Raw SQL: xid8 and the row position, as in feed.ts.
 */
export async function feedMarkAt(db: RegistryDb, cursor: string): Promise<string | null> {
  const [txid, id] = cursor.split(':')
  if (!txid || !id || !/^\d+$/.test(txid) || !/^\d+$/.test(id)) return null
  const row = await sql<{ mark: string }>`
    SELECT md5(kind || '|' || entity_id || '|' ||
      (extract(epoch FROM created_at) * 1000000)::bigint::text) AS mark
    FROM changes WHERE txid = ${txid}::text::xid8 AND id = ${id}::bigint`.execute(db)
  return row.rows[0]?.mark ?? null
}

/**
 * What the registry holds of a device: how many of its ops, the head of its office's feed, the
 * registry's epoch and the mark of the row at the device's cursor. A client that holds more
 * acknowledged ops than this, a feed cursor past the head, another epoch than it knew or another
 * mark at its cursor is talking to a registry restored from an older backup, and reconciles in
 * full (docs/sync.md, step 1).
 */
export async function syncState(
  db: RegistryDb,
  device: DeviceActor,
  cursor = '',
): Promise<SyncStateWithEpoch> {
  const ops = await db
    .selectFrom('record_ops')
    .select(sql<string>`count(*)`.as('n'))
    .where('device_id', '=', device.deviceId)
    .executeTakeFirstOrThrow()
  // Raw SQL: the feed position is a row comparison on xid8 that kysely cannot say.
  const head = await sql<{ cursor: string | null }>`
    SELECT max(txid::text || ':' || id::text) AS cursor FROM (
      SELECT txid, id FROM changes WHERE office_id = ${device.officeId}::uuid
      ORDER BY txid DESC, id DESC LIMIT 1) last`.execute(db)
  const { epoch } = await readEpoch(db)
  return {
    deviceOps: Number(ops.n),
    feedHead: head.rows[0]?.cursor ?? '',
    epoch,
    mark: cursor === '' ? null : await feedMarkAt(db, cursor),
  }
}

export async function listConflicts(
  db: RegistryDb,
  actor: Actor,
  filter: { officeId?: string; open?: boolean },
): Promise<ConflictDto[]> {
  let officeId = filter.officeId
  if (actor.kind === 'device') officeId = actor.officeId
  else requireHq(actor, 'read')
  let query = db.selectFrom('conflicts').selectAll()
  if (officeId) query = query.where('office_id', '=', officeId)
  if (filter.open) query = query.where('resolved_by_op', 'is', null)
  const rows = await query.orderBy('created_at').orderBy('id').limit(5000).execute()
  return rows.map((row) => ({
    id: row.id,
    recordId: row.record_id,
    fieldPath: row.field_path,
    a: { opId: row.op_a, value: row.value_a, hlc: row.hlc_a, userId: row.user_a, node: row.node_a },
    b: { opId: row.op_b, value: row.value_b, hlc: row.hlc_b, userId: row.user_b, node: row.node_b },
    resolvedByOp: row.resolved_by_op,
  }))
}

/** The compiled XForm of a version published to the device's office, for the laptop to store. */
export async function readFormDefinition(
  db: RegistryDb,
  device: DeviceActor,
  versionId: string,
): Promise<{
  id: string
  formKey: string
  version: string
  title: string
  xform: string
  sha256: string
}> {
  const row = isUuid(versionId)
    ? await db
        .selectFrom('form_versions')
        .innerJoin('forms', 'forms.id', 'form_versions.form_id')
        .innerJoin('form_publications', 'form_publications.form_version_id', 'form_versions.id')
        .where('form_publications.office_id', '=', device.officeId)
        .where('form_versions.id', '=', versionId)
        .select([
          'form_versions.id',
          'forms.form_key',
          'form_versions.version',
          'form_versions.title',
          'form_versions.definition',
        ])
        .executeTakeFirst()
    : undefined
  if (!row) throw new AppFailure('forbidden', 'This form is not published to your office.')
  const xform = (row.definition as { xform?: string } | null)?.xform ?? ''
  return {
    id: row.id,
    formKey: row.form_key,
    version: row.version,
    title: row.title,
    xform,
    sha256: createHash('sha256').update(xform).digest('hex'),
  }
}
