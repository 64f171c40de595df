import { createHash } from 'node:crypto'
import { AppFailure } from '../../shared/errors'
import { compileWorkbook, formNameFromFile, readFormFile } from '../../shared/xlsform'
import { formInvalidFailure } from '../../shared/xlsform/diagnostics'
import { readSettings } from '../../shared/xlsform/settings'

export type CompiledForm = {
  /** The form's identity across versions: settings `form_id`, else the file name. */
  formKey: string
  /** Immutable version label: settings `version`, else the content hash. */
  version: string
  title: string
  /** What devices run: the ODK XForm the shared compiler produced, with its warnings. */
  definition: { xform: string; warnings: string[] }
}

/**
 * The single seam between the registry and the XLSForm compiler (shared/xlsform). A form with
 * errors is refused with the compiler's diagnostics, so HQ never publishes what offices cannot run.
 */
export function compileForm(bytes: Uint8Array, fileName: string): Promise<CompiledForm> {
  const base = fileName.split(/[\\/]/).at(-1) ?? ''
  if (bytes.length === 0) throw new AppFailure('validation', `"${base}" is empty.`)
  const read = readFormFile(base, bytes)
  if (!read.ok) throw new AppFailure('validation', read.message)
  const stem = formNameFromFile(base)
  const result = compileWorkbook(read.workbook, { formName: stem.replace(/[^A-Za-z0-9_]/g, '_') })
  if (!result.ok || result.xml === undefined) throw formInvalidFailure(result.errors)
  const settingsSheet = read.workbook.sheets.find(
    (sheet) => sheet.name.trim().toLowerCase() === 'settings',
  )
  const settings = readSettings(settingsSheet).values
  const formKey =
    settings.form_id ??
    (stem
      .toLowerCase()
      .replace(/[^a-z0-9_]+/g, '_')
      .replace(/^_+|_+$/g, '') ||
      'form')
  const version = settings.version ?? createHash('sha256').update(bytes).digest('hex').slice(0, 12)
  const warnings = result.warnings.map((warning) => warning.message)
  return Promise.resolve({
    formKey,
    version,
    title: settings.form_title ?? stem,
    definition: { xform: result.xml, warnings },
  })
}
