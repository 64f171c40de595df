import type { FormVersionDetail } from '../../../shared/api'
import { AppFailure } from '../../../shared/errors'
import type { Store } from '../db/open'
import { mediaFor } from './media'

/**
 * A form version to run: the latest, or the one a record was filled with; with `withMedia`, the
 * files it reads (registers and imported files), else only the names of those that are missing.
 */
export async function getFormVersion(store: Store, id: string, formVersionId?: string, withMedia: boolean | undefined = false): Promise<FormVersionDetail> {
  let query = store.db
    .selectFrom('form_versions')
    .select(['id', 'form_id', 'version', 'title', 'xform'])
    .where('form_id', '=', id)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
  if (formVersionId) query = query.where('id', '=', formVersionId)
  const row = await query.executeTakeFirst()
  if (!row) throw new AppFailure('not_found', 'That form is not on this laptop (it may have been removed). Import it again or sync.')
  const detail = { formId: row.form_id, formVersionId: row.id, version: row.version, title: row.title, xform: row.xform }
  const found = mediaFor(store.sqlite, row.id, row.xform, withMedia === true)
  return { ...detail, media: withMedia === true ? found.media : [], missingMedia: found.missingMedia }
}
