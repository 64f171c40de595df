import { sql } from 'kysely'
import { AppFailure } from '../../shared/errors'
import type { PushOpsRequest, PushOpsResponse, RecordOp } from '../../shared/registry-api'
import type { RegistryDb } from '../db/database'
import type { Actor, DeviceActor } from './actors'
import { jsonText, requireHq } from './actors'
import { appendChanges } from './feed'
import { isUuid } from './forms'

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

type Clocked = { values: Record<string, unknown>; clocks: Record<string, string> }
type StoredOp = { opId: string; fieldPath: string; newValue: unknown; hlc: string }

/**
 * Folds ops into a record's current values: per field, the op with the greatest (hlc, opId) wins,
 * whatever order they arrive in, so every replica that sees the same ops shows the same values.
 */
export function applyOps(current: Clocked, ops: readonly StoredOp[]): Clocked {
  const values = { ...current.values }
  const clocks = { ...current.clocks }
  for (const op of ops) {
    const clock = `${op.hlc} ${op.opId}`
    const seen = clocks[op.fieldPath]
    if (seen !== undefined && seen >= clock) continue
    clocks[op.fieldPath] = clock
    values[op.fieldPath] = op.newValue
  }
  return { values, clocks }
}

const notYours =
  'Some records in this batch belong to another office or use a form not published to your office; nothing in the batch was saved.'

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
  return db.transaction().execute(async (trx) => {
    const versions = [...new Set(versionOf.values())]
    const published = await trx
      .selectFrom('form_publications')
      .select('form_version_id')
      .where('office_id', '=', device.officeId)
      .where('form_version_id', 'in', versions)
      .execute()
    if (published.length !== versions.length) throw new AppFailure('forbidden', notYours)
    await trx
      .insertInto('records')
      .values(
        recordIds.map((id) => ({
          id,
          office_id: device.officeId,
          form_version_id: versionOf.get(id) ?? '',
          values: '{}',
          field_clocks: '{}',
        })),
      )
      .onConflict((oc) => oc.column('id').doNothing())
      .execute()
    // Locked in id order, like the insert above, so two batches touching the same records queue instead of deadlocking.
    const records = await trx
      .selectFrom('records')
      .select(['id', 'office_id', 'form_version_id', 'values', 'field_clocks'])
      .where('id', 'in', recordIds)
      .orderBy('id')
      .forUpdate()
      .execute()
    if (
      records.some(
        (row) => row.office_id !== device.officeId || row.form_version_id !== versionOf.get(row.id),
      )
    ) {
      throw new AppFailure('forbidden', notYours)
    }
    const inserted = await trx
      .insertInto('record_ops')
      .values(
        request.ops.map((op) => ({
          op_id: op.opId,
          record_id: op.recordId,
          field_path: op.fieldPath,
          old_value: jsonText(op.oldValue),
          new_value: jsonText(op.newValue),
          hlc: op.hlc,
          device_id: device.deviceId,
          user_id: op.userId,
        })),
      )
      .onConflict((oc) => oc.column('op_id').doNothing())
      .returning('op_id')
      .execute()
    const acceptedIds = new Set(inserted.map((row) => row.op_id))
    const accepted = request.ops.filter((op) => acceptedIds.has(op.opId))
    for (const record of records) {
      const ops = accepted.filter((op) => op.recordId === record.id)
      if (ops.length === 0) continue
      const next = applyOps(
        {
          values: record.values as Record<string, unknown>,
          clocks: record.field_clocks as Record<string, string>,
        },
        ops,
      )
      await trx
        .updateTable('records')
        .set({
          values: jsonText(next.values),
          field_clocks: jsonText(next.clocks),
          updated_at: sql`now()`,
        })
        .where('id', '=', record.id)
        .execute()
    }
    await appendChanges(
      trx,
      accepted.map((op) => ({
        officeId: device.officeId,
        kind: 'record.op',
        entityId: op.recordId,
        data: {
          opId: op.opId,
          fieldPath: op.fieldPath,
          newValue: op.newValue,
          hlc: op.hlc,
          userId: op.userId,
          deviceId: device.deviceId,
        },
      })),
    )
    return { accepted: accepted.length, duplicates: request.ops.length - accepted.length }
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
