import type { FormVersionDetail } from '../../../shared/api'
import { AppFailure } from '../../../shared/errors'
import type { Store } from '../db/open'

/** A form version to run: the latest, or the one a record was filled with. */
export async function getFormVersion(store: Store, id: string, formVersionId?: string): Promise<FormVersionDetail> {
  let query = store.db
    .selectFrom('form_versions')
    .select(['id', 'form_id', 'version', 'title', 'xform'])
    .where('form_id', '=', id)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
  if (formVersionId) query = query.where('id', '=', formVersionId)
  const row = await query.executeTakeFirst()
  if (!row) throw new AppFailure('not_found', 'That form is not on this laptop (it may have been removed). Import it again or sync.')
  return { formId: row.form_id, formVersionId: row.id, version: row.version, title: row.title, xform: row.xform }
}
