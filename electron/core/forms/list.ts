import { sql } from 'kysely'
import type { FormSummary } from '../../../shared/api'
import type { Store } from '../db/open'

/** Forms with their newest version and how many records each holds, newest first. */
export async function listForms(store: Store): Promise<FormSummary[]> {
  const rows = await store.db
    .selectFrom('forms as f')
    .innerJoin('form_versions as v', 'v.form_id', 'f.id')
    .leftJoin('records as r', (join) => join.onRef('r.form_version_id', '=', 'v.id').on('r.deleted_at', 'is', null))
    .select([
      'f.id',
      'f.form_id',
      'f.title',
      'f.updated_at',
      sql<string>`(SELECT version FROM form_versions WHERE form_id = f.id ORDER BY created_at DESC, id DESC LIMIT 1)`.as(
        'latest_version',
      ),
      sql<number>`COUNT(DISTINCT v.id)`.as('version_count'),
      sql<number>`COUNT(r.id)`.as('record_count'),
    ])
    .groupBy('f.id')
    .orderBy('f.updated_at', 'desc')
    .execute()
  return rows.map((row) => ({
    id: row.id,
    formId: row.form_id,
    title: row.title,
    latestVersion: row.latest_version,
    versionCount: row.version_count,
    recordCount: row.record_count,
    updatedAt: row.updated_at,
  }))
}
