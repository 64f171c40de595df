import { AppFailure } from '../../shared/errors'
import type { PushOpsRequest, PushOpsResponse, RecordOp } from '../../shared/registry-api'
import type { RegistryDb } from '../db/database'
import type { Actor, DeviceActor } from './actors'
import { requireHq } from './actors'
import { isUuid } from './forms'
import { mergeOps } from './merge-ops'

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
  return run(async (trx) => {
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
    const accepted = await mergeOps(
      trx,
      records,
      request.ops.map((op) => ({ ...op, deviceId: device.deviceId })),
      device.deviceId,
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
