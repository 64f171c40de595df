import { uuidv7 } from 'uuidv7'
import type { FormImportResult } from '../../../shared/api'
import { AppFailure } from '../../../shared/errors'
import { formInvalidFailure } from '../../../shared/xlsform/diagnostics'
import { compileWorkbook, formNameFromFile, readFormFile } from '../../../shared/xlsform/index'
import { sha256Hex } from '../db/migrate'
import type { Store } from '../db/open'
import { listForms } from './list'

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

/**
 * Compiles an XLSForm and stores it as a new form or a new version. Re-importing the same
 * version with the same content changes nothing; the same version with different content is
 * refused, because a version is immutable and records point at it.
 */
export async function importForm(store: Store, fileName: string, bytes: Uint8Array, now: () => number = Date.now): Promise<FormImportResult> {
  const read = readFormFile(fileName, bytes)
  if (!read.ok) throw new AppFailure('validation', read.message)
  const compiled = compileWorkbook(read.workbook, { formName: formNameFromFile(fileName) })
  if (!compiled.ok || compiled.xml === undefined) throw formInvalidFailure(compiled.diagnostics)
  const xml = compiled.xml
  const header = readXFormHeader(xml)
  const version = header.version || new Date(now()).toISOString().slice(0, 10).replace(/-/g, '')
  const digest = sha256Hex(xml)

  const outcome = await store.db.transaction().execute(async (trx) => {
    const form = await trx.selectFrom('forms').select('id').where('form_id', '=', header.formId).executeTakeFirst()
    const formKey = form?.id ?? uuidv7()
    if (!form) {
      await trx.insertInto('forms').values({ id: formKey, form_id: header.formId, title: header.title, created_at: now(), updated_at: now() }).execute()
    }
    const existing = await trx.selectFrom('form_versions').select('sha256').where('form_id', '=', formKey).where('version', '=', version).executeTakeFirst()
    if (existing) {
      if (existing.sha256 === digest) return 'unchanged' as const
      throw new AppFailure(
        'conflict',
        `Version "${version}" of form "${header.formId}" is already on this laptop with different content. A version never changes once used: raise the version on the settings sheet and import again.`,
      )
    }
    await trx
      .insertInto('form_versions')
      .values({ id: uuidv7(), form_id: formKey, version, title: header.title, xform: xml, source_name: fileName, sha256: digest, created_at: now() })
      .execute()
    await trx.updateTable('forms').set({ title: header.title, updated_at: now() }).where('id', '=', formKey).execute()
    return form ? ('new_version' as const) : ('created' as const)
  })
  const summary = (await listForms(store)).find((f) => f.formId === header.formId)
  if (!summary) throw new AppFailure('internal', 'The imported form could not be read back.')
  return { form: summary, version, outcome, warnings: compiled.warnings }
}
