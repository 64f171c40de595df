import { uuidv7 } from 'uuidv7'
import type { FormDiagnostic, FormImportResult } from '../../../shared/api'
import { AppFailure } from '../../../shared/errors'
import { formInvalidFailure } from '../../../shared/xlsform/diagnostics'
import { compileWorkbook, formNameFromFile, readFormFile } from '../../../shared/xlsform/index'
import { sha256Hex } from '../db/migrate'
import type { Store } from '../db/open'
import { listForms } from './list'
import { checkMediaName, mediaFor, mediaNamesOf, storeMedia, type MediaInput } from './media'

export type XFormHeader = { formId: string; version: string; title: string }

const decodeXml = (text: string): string =>
  text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&')

/**
 * Reads form id, version and title from an XForm: the first element of the primary instance
 * carries `id` and `version`, `h:title` the title. Our compiler always writes them.
 */
export function readXFormHeader(xml: string): XFormHeader {
  const title = /<h:title>([\s\S]*?)<\/h:title>/.exec(xml)?.[1]
  const root = /<instance>\s*<([A-Za-z_][\w.-]*)((?:\s+[\w:.-]+="[^"]*")*)\s*\/?>/.exec(xml)
  const attrs = root?.[2] ?? ''
  const formId = /\sid="([^"]*)"/.exec(attrs)?.[1]
  if (!formId) throw new AppFailure('validation', 'The form has no form id: set form_id on the settings sheet.')
  return {
    formId: decodeXml(formId),
    version: decodeXml(/\sversion="([^"]*)"/.exec(attrs)?.[1] ?? ''),
    title: decodeXml(title ?? formId),
  }
}

export type MediaFile = { fileName: string; bytes: Uint8Array }

/** A file's text: UTF-8 (a byte-order mark dropped, as spreadsheet programs often write one). */
function decodeText(bytes: Uint8Array): string {
  const text = new TextDecoder('utf-8', { fatal: false }).decode(bytes)
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text
}

/**
 * Compiles an XLSForm and stores it as a new form or a new version, with the files it reads.
 * Re-importing the same version with the same content changes nothing, except new or changed
 * files (outcome `media_updated`); the same version with a different form is refused, because a
 * version is immutable and records point at it. Files the form does not name are not stored, and
 * files it names that are neither given nor a register are reported: both as warnings.
 */
export async function importForm(
  store: Store,
  fileName: string,
  bytes: Uint8Array,
  now: () => number = Date.now,
  mediaFiles: readonly MediaFile[] = [],
): Promise<FormImportResult> {
  const read = readFormFile(fileName, bytes)
  if (!read.ok) throw new AppFailure('validation', read.message)
  const compiled = compileWorkbook(read.workbook, { formName: formNameFromFile(fileName) })
  if (!compiled.ok || compiled.xml === undefined) throw formInvalidFailure(compiled.diagnostics)
  const xml = compiled.xml
  const header = readXFormHeader(xml)
  const version = header.version || new Date(now()).toISOString().slice(0, 10).replace(/-/g, '')
  const digest = sha256Hex(xml)
  const named = new Set(mediaNamesOf(xml))
  const warnings: FormDiagnostic[] = [...compiled.warnings]
  const media: MediaInput[] = []
  for (const file of mediaFiles) {
    const name = checkMediaName(file.fileName)
    if (named.has(name)) media.push({ name, content: decodeText(file.bytes) })
    else warnings.push({ severity: 'warning', message: `The form does not read "${name}", so it was not kept.` })
  }

  const { outcome, versionId } = await store.db.transaction().execute(async (trx) => {
    const form = await trx.selectFrom('forms').select('id').where('form_id', '=', header.formId).executeTakeFirst()
    const formKey = form?.id ?? uuidv7()
    if (!form) {
      await trx.insertInto('forms').values({ id: formKey, form_id: header.formId, title: header.title, created_at: now(), updated_at: now() }).execute()
    }
    const existing = await trx.selectFrom('form_versions').select(['id', 'sha256']).where('form_id', '=', formKey).where('version', '=', version).executeTakeFirst()
    if (existing) {
      if (existing.sha256 !== digest) {
        throw new AppFailure(
          'conflict',
          `Version "${version}" of form "${header.formId}" is already on this laptop with different content. A version never changes once used: raise the version on the settings sheet and import again.`,
        )
      }
      const changed = storeMedia(store.sqlite, existing.id, media, now())
      return { outcome: changed.length > 0 ? ('media_updated' as const) : ('unchanged' as const), versionId: existing.id }
    }
    const id = uuidv7()
    await trx
      .insertInto('form_versions')
      .values({ id, form_id: formKey, version, title: header.title, xform: xml, source_name: fileName, sha256: digest, created_at: now() })
      .execute()
    storeMedia(store.sqlite, id, media, now())
    await trx.updateTable('forms').set({ title: header.title, updated_at: now() }).where('id', '=', formKey).execute()
    return { outcome: form ? ('new_version' as const) : ('created' as const), versionId: id }
  })
  for (const name of mediaFor(store.sqlite, versionId, xml, false).missingMedia) {
    warnings.push({
      severity: 'warning',
      message: `The form reads "${name}", which is not on this laptop: its lists stay empty until you import the form again with that file, or HQ publishes a register named "${name.replace(/\.[^.]+$/, '')}" to this office.`,
    })
  }
  const stored = store.sqlite.prepare('SELECT name FROM form_media WHERE form_version_id = ? ORDER BY name').all(versionId) as { name: string }[]
  const summary = (await listForms(store)).find((f) => f.formId === header.formId)
  if (!summary) throw new AppFailure('internal', 'The imported form could not be read back.')
  return { form: summary, version, outcome, warnings, media: stored.map((row) => row.name) }
}
