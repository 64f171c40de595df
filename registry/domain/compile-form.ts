import { createHash } from 'node:crypto'
import { AppFailure } from '../../shared/errors'

export type CompiledForm = {
  /** The form's identity across versions (XLSForm settings `form_id`). */
  formKey: string
  /** Immutable version label (XLSForm settings `version`). */
  version: string
  title: string
  /** The compiled form definition; null until the shared compiler is wired in. */
  definition: unknown
}

const accepted = /\.(xlsx|xls|csv|md)$/i

/**
 * The single seam between the registry and the XLSForm compiler (shared/xlsform, being built).
 * Until it lands this keeps the uploaded bytes and derives identity from the file: the key from the
 * file name, the version from the content hash, so the same file is the same version and a changed
 * file is a new one. Swap the body for the shared compiler's call; callers do not change.
 */
export function compileForm(bytes: Uint8Array, fileName: string): Promise<CompiledForm> {
  const base = fileName.split(/[\\/]/).at(-1) ?? ''
  if (!accepted.test(base)) {
    throw new AppFailure('validation', `"${base}" is not an XLSForm: upload the form's .xlsx file.`)
  }
  if (bytes.length === 0) throw new AppFailure('validation', `"${base}" is empty.`)
  const stem = base.replace(accepted, '')
  const formKey =
    stem
      .toLowerCase()
      .replace(/[^a-z0-9_]+/g, '_')
      .replace(/^_+|_+$/g, '') || 'form'
  const version = createHash('sha256').update(bytes).digest('hex').slice(0, 12)
  return Promise.resolve({ formKey, version, title: stem, definition: null })
}
