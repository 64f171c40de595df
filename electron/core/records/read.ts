import type { Selectable } from 'kysely'
import type { RecordDetail, RecordSummary } from '../../../shared/api'
import { AppFailure } from '../../../shared/errors'
import type { RecordValues } from '../../../shared/records/values'
import type { Store } from '../db/open'
import type { RecordsTable } from '../db/schema'

export const summaryColumns = [
  'id',
  'form_id',
  'form_version_id',
  'status',
  'instance_name',
  'values_json',
  'created_by',
  'created_at',
  'updated_by',
  'updated_at',
  'deleted_at',
  'deleted_by',
] as const

export type SummaryRow = Pick<Selectable<RecordsTable>, (typeof summaryColumns)[number]>

export function toSummary(row: SummaryRow): RecordSummary {
  return {
    id: row.id,
    formId: row.form_id,
    formVersionId: row.form_version_id,
    status: row.status,
    instanceName: row.instance_name,
    values: JSON.parse(row.values_json) as RecordValues,
    createdBy: row.created_by,
    createdAt: row.created_at,
    updatedBy: row.updated_by,
    updatedAt: row.updated_at,
    deletedAt: row.deleted_at,
    deletedBy: row.deleted_by,
  }
}

/** One record with everything the record screen shows: values, status, authorship, files. */
export async function getRecord(store: Store, id: string): Promise<RecordDetail> {
  const row = await store.db.selectFrom('records').select([...summaryColumns, 'instance_xml']).where('id', '=', id).executeTakeFirst()
  if (!row) throw new AppFailure('not_found', 'That record does not exist on this laptop. It may have been removed by a sync; refresh the list.')
  const attachments = await store.db
    .selectFrom('attachments')
    .select(['id', 'field_path', 'file_name', 'media_type', 'size', 'sha256', 'created_at'])
    .where('record_id', '=', id)
    .orderBy('created_at')
    .orderBy('id')
    .execute()
  return {
    ...toSummary(row),
    instanceXml: row.instance_xml,
    attachments: attachments.map((a) => ({
      id: a.id,
      fieldPath: a.field_path,
      fileName: a.file_name,
      mediaType: a.media_type,
      size: a.size,
      sha256: a.sha256,
      createdAt: a.created_at,
    })),
  }
}
