import { parseHeader } from './columns'
import type { Sheet } from './workbook'

/** The settings sheet's one row of values, keyed by canonical setting names. */
export type Settings = Record<string, string> & { __row?: never }

const settingAliases: Record<string, string> = {
  'set form title': 'form_title',
  'set form id': 'form_id',
  title: 'form_title',
  id_string: 'form_id',
}

export function readSettings(sheet: Sheet | undefined): {
  values: Record<string, string>
  row: number
} {
  const values: Record<string, string> = {}
  const first = sheet?.rows[0]
  if (!first) return { values, row: 2 }
  for (const [header, value] of Object.entries(first.cells)) {
    const lower = header.trim().toLowerCase()
    const key = settingAliases[lower] ?? (lower.includes('::') ? parseHeader(header).key : lower)
    values[key] = value
  }
  return { values, row: first.row }
}

const truthy = new Set(['yes', 'true', 'true()', '1'])
const falsy = new Set(['no', 'false', 'false()', '0'])

/** pyxform's yes/no reading of cells such as `required` and `clean_text_values`. */
export function yesNo(value: string | undefined): boolean | undefined {
  if (value === undefined) return undefined
  const v = value.trim().toLowerCase()
  if (truthy.has(v)) return true
  if (falsy.has(v)) return false
  return undefined
}
