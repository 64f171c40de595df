import { sql } from 'kysely'
import { AppFailure } from '../../shared/errors'
import type { SyncOp } from '../../shared/sync/ops'
import { hlcNode, plainCreate } from '../../shared/sync/ops'
import { clockOf } from '../../shared/sync/merge'
import type { PushOpsRequest, PushOpsResponse, RecordOp } from '../../shared/registry-api'
import type { RegistryDb } from '../db/database'
import type { Actor, DeviceActor } from './actors'
import { requireHq } from './actors'
import { applyEntityActions } from './entities'
import { isUuid } from './forms'
import { foldOps, insertCreated, mergeOps, packClocks } from './merge-ops'

export type OpDto = Omit<RecordOp, 'formVersionId'> & {
  deviceId: string | null
  receivedAt: string
}
export type RecordDto = {
  id: string
  officeId: string
  formVersionId: string
  values: Record<string, unknown>
  reviewState: string
  reviewComment: string | null
  updatedAt: string
}

const notYours =
  'Some records in this batch belong to another office or use a form not published to your office; nothing in the batch was saved.'

type Locked = {
  id: string
  office_id: string
  form_version_id: string
  values: unknown
  field_clocks: unknown
}

function lockRecords(trx: RegistryDb, ids: readonly string[]): Promise<Locked[]> {
  // One array parameter (`= ANY`), not a thousand bound values to build, send and plan.
  return trx
    .selectFrom('records')
    .select(['id', 'office_id', 'form_version_id', 'values', 'field_clocks'])
    .where(sql<boolean>`id = ANY(${ids}::uuid[])`)
    .orderBy('id')
    .forUpdate()
    .execute()
}

/**
 * The row a record made by one plain create op folds to, without the general fold: its values,
 * one clock for every key the create writes (packed), its status and instance name (`plainCreate`,
 * shared with the laptop). Null when the payload is not the plain case, which then takes foldOps;
 * both give the same row (tested in test/registry/push-compact.test.ts).
 */
export function createdRow(op: SyncOp): {
  values: Record<string, unknown>
  field_clocks: Record<string, string[]>
  status: string
  instance_name: string | null
  deleted: false
} | null {
  const made = plainCreate(op)
  if (!made) return null
  return {
    values: made.values,
    field_clocks: { [clockOf(op)]: made.keys },
    status: made.status,
    instance_name: made.instanceName,
    deleted: false,
  }
}

/**
 * Writes the records the registry has not seen yet, already merged from their ops in the batch
 * (one INSERT, in id order), instead of an empty row and an update. Answers those it wrote, and
 * the ids a concurrent batch created first. Raw SQL: the rows travel as one JSON parameter.
 */
async function createRecords(
  trx: RegistryDb,
  device: DeviceActor,
  ops: readonly SyncOp[],
  existing: readonly Locked[],
): Promise<{ rows: Locked[]; missed: string[] }> {
  const known = new Set(existing.map((row) => row.id))
  const fresh = new Map<string, SyncOp[]>()
  for (const op of ops) {
    if (known.has(op.recordId)) continue
    const list = fresh.get(op.recordId)
    if (list) list.push(op)
    else fresh.set(op.recordId, [op])
  }
  if (fresh.size === 0) return { rows: [], missed: [] }
  const rows = [...fresh.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([id, list]) => {
      const only = list.length === 1 ? list[0] : undefined
      const made = only ? createdRow(only) : null
      const next =
        made ??
        (() => {
          const folded = foldOps(
            { id, office_id: device.officeId, values: {}, field_clocks: {} },
            list.map((op) => ({ ...op, deviceId: device.deviceId })),
          )
          return {
            values: folded.values,
            field_clocks: packClocks(folded.clocks),
            status: folded.columns.status ?? null,
            instance_name: folded.columns.instance_name ?? null,
            deleted: folded.columns.deleted ?? false,
          }
        })()
      return {
        id,
        office_id: device.officeId,
        form_version_id: list[0]?.formVersionId ?? '',
        ...next,
      }
    })
  const inserted = await sql<{ id: string }>`
    INSERT INTO records (id, office_id, form_version_id, "values", field_clocks, status,
      instance_name, deleted)
    SELECT id, office_id, form_version_id, "values", field_clocks, status, instance_name, deleted
    FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) AS r(id uuid,
      office_id uuid, form_version_id uuid, "values" jsonb, field_clocks jsonb, status text,
      instance_name text, deleted boolean)
    ON CONFLICT (id) DO NOTHING
    RETURNING id`.execute(trx)
  const written = new Set(inserted.rows.map((row) => row.id))
  return {
    rows: rows.filter((row) => written.has(row.id)),
    missed: rows.filter((row) => !written.has(row.id)).map((row) => row.id),
  }
}

/**
 * A device sends only ops made under its own clock. The registry learns the laptop's clock node
 * (its local device id, which ends every HLC it makes) from the device's first batch and refuses
 * any later batch with ops of another node: a laptop cannot pass off edits as another's, whose
 * clocks would then decide merges. Raw SQL: the column is this module's alone.
 */
async function checkClockOwner(
  trx: RegistryDb,
  device: DeviceActor,
  ops: readonly SyncOp[],
): Promise<void> {
  const nodes = new Set(ops.map((op) => hlcNode(op.hlc)))
  const [node] = nodes
  const bound =
    nodes.size === 1
      ? await sql<{ clock_node: string | null }>`
          UPDATE devices SET clock_node = coalesce(clock_node, ${node})
          WHERE id = ${device.deviceId} RETURNING clock_node`.execute(trx)
      : null
  if (bound?.rows[0]?.clock_node !== node)
    throw new AppFailure(
      'forbidden',
      'Some changes in this batch were made under another device’s clock; a device sends only its own. Nothing in the batch was saved.',
    )
}

/** Accepts a device's batch in one transaction: all of it, idempotently by op id, or none of it. */
export async function pushOps(
  db: RegistryDb,
  device: DeviceActor,
  request: PushOpsRequest,
): Promise<PushOpsResponse> {
  const recordIds = [...new Set(request.ops.map((op) => op.recordId))].sort()
  const versionOf = new Map(request.ops.map((op) => [op.recordId, op.formVersionId]))
  if (request.ops.some((op) => versionOf.get(op.recordId) !== op.formVersionId)) {
    throw new AppFailure('validation', 'All ops of one record must name the same form version.')
  }
  // Joins the caller's transaction when there is one: a USB package applies all its batches in one.
  const run = <T>(work: (trx: RegistryDb) => Promise<T>): Promise<T> =>
    db.isTransaction ? work(db) : db.transaction().execute(work)
  const store = async (trx: RegistryDb): Promise<PushOpsResponse> => {
    const versions = [...new Set(versionOf.values())]
    const published = await trx
      .selectFrom('form_publications')
      .select('form_version_id')
      .where('office_id', '=', device.officeId)
      .where('form_version_id', 'in', versions)
      .execute()
    if (published.length !== versions.length) throw new AppFailure('forbidden', notYours)
    await checkClockOwner(trx, device, request.ops)
    const mine = (row: Locked): boolean =>
      row.office_id === device.officeId && row.form_version_id === versionOf.get(row.id)
    const ops = request.ops.map((op) => ({ ...op, deviceId: device.deviceId }))
    const plain = recordIds.length === ops.length ? ops.map(createdRow) : []
    if (plain.length > 0 && plain.every((row) => row !== null)) {
      // A first push: each record made by one plain create. One statement stores records, ops
      // and feed rows, without looking for the records first; one that exists (created by
      // another batch, or this batch replayed) is skipped by it, then locked in id order, checked
      // as this office's and merged the general way (its ops, if already held, as duplicates).
      const stored = await insertCreated(trx, ops, plain, device.deviceId, device.officeId)
      let accepted = stored.accepted
      if (stored.missed.length > 0) {
        const raced = await lockRecords(trx, stored.missed)
        if (!raced.every(mine)) throw new AppFailure('forbidden', notYours)
        const missed = new Set(stored.missed)
        accepted += (
          await mergeOps(
            trx,
            raced,
            ops.filter((op) => missed.has(op.recordId)),
            device.deviceId,
          )
        ).length
      }
      return { accepted, duplicates: ops.length - accepted }
    }
    // Locked in id order, so two batches touching the same records queue instead of deadlocking.
    const existing = await lockRecords(trx, recordIds)
    const created = await createRecords(trx, device, request.ops, existing)
    // A record another batch created meanwhile (the insert waited for it, then skipped it).
    const raced = created.missed.length > 0 ? await lockRecords(trx, created.missed) : []
    const records = [...existing, ...raced, ...created.rows]
    if (!records.every(mine)) throw new AppFailure('forbidden', notYours)
    const accepted = await mergeOps(
      trx,
      records,
      ops,
      device.deviceId,
      new Set(created.rows.map((row) => row.id)),
    )
    return { accepted: accepted.length, duplicates: ops.length - accepted.length }
  }
  return run(async (trx) => {
    const stored = await store(trx)
    // ODK entity blocks of records now complete, in the same transaction (entities.ts).
    await applyEntityActions(trx, request.ops)
    return stored
  })
}

type RecordRow = {
  id: string
  office_id: string
  form_version_id: string
  values: unknown
  review_state: string
  review_comment: string | null
  updated_at: Date
}

function toRecordDto(row: RecordRow): RecordDto {
  return {
    id: row.id,
    officeId: row.office_id,
    formVersionId: row.form_version_id,
    values: row.values as Record<string, unknown>,
    reviewState: row.review_state,
    reviewComment: row.review_comment,
    updatedAt: new Date(row.updated_at).toISOString(),
  }
}

const recordColumns = [
  'id',
  'office_id',
  'form_version_id',
  'values',
  'review_state',
  'review_comment',
  'updated_at',
] as const

/** One record with its op history. A device gets one answer for "another office's" and "does not exist". */
export async function readRecord(
  db: RegistryDb,
  actor: Actor,
  recordId: string,
): Promise<RecordDto & { ops: OpDto[] }> {
  if (actor.kind !== 'device') requireHq(actor, 'read')
  const row = isUuid(recordId)
    ? await db
        .selectFrom('records')
        .select(recordColumns)
        .where('id', '=', recordId)
        .executeTakeFirst()
    : undefined
  if (actor.kind === 'device' && row?.office_id !== actor.officeId) {
    throw new AppFailure('forbidden', 'This record does not belong to your office.')
  }
  if (!row) throw new AppFailure('not_found', `There is no record "${recordId}".`)
  const ops = await db
    .selectFrom('record_ops')
    .selectAll()
    .where('record_id', '=', row.id)
    .orderBy('hlc')
    .orderBy('op_id')
    .execute()
  return {
    ...toRecordDto(row),
    ops: ops.map((op) => ({
      opId: op.op_id,
      recordId: op.record_id,
      fieldPath: op.field_path,
      oldValue: op.old_value,
      newValue: op.new_value,
      hlc: op.hlc,
      userId: op.user_id,
      deviceId: op.device_id,
      receivedAt: new Date(op.received_at).toISOString(),
    })),
  }
}

export async function listRecords(
  db: RegistryDb,
  actor: Actor,
  filter: { officeId?: string; afterId?: string; limit?: number },
): Promise<RecordDto[]> {
  if (actor.kind === 'device') {
    if (filter.officeId !== undefined && filter.officeId !== actor.officeId) {
      throw new AppFailure('forbidden', "A device can list only its own office's records.")
    }
    filter = { ...filter, officeId: actor.officeId }
  } else requireHq(actor, 'read')
  let query = db.selectFrom('records').select(recordColumns)
  if (filter.officeId) query = query.where('office_id', '=', filter.officeId)
  if (filter.afterId) query = query.where('id', '>', filter.afterId)
  const rows = await query
    .orderBy('id')
    .limit(Math.min(filter.limit ?? 100, 1000))
    .execute()
  return rows.map(toRecordDto)
}
