import type { Sheet } from './workbook'

/** A spreadsheet row with its headers resolved to the names the compiler works with. */
export type FormRow = {
  row: number
  sheet: string
  /** Canonical column → value, for columns that are not translated. */
  values: Record<string, string>
  /** Translatable column → language → value; `default` when no language was given. */
  text: Record<string, Record<string, string>>
  /** Canonical column → the header the author wrote, to quote it back in messages. */
  headers: Record<string, string>
}

/** XLSForm column aliases, compared in lower case (pyxform's survey header aliases). */
const aliases: Record<string, string> = {
  caption: 'label',
  command: 'type',
  tag: 'name',
  value: 'name',
  read_only: 'bind::readonly',
  readonly: 'bind::readonly',
  relevant: 'bind::relevant',
  relevance: 'bind::relevant',
  required: 'bind::required',
  constraint: 'bind::constraint',
  'constraining message': 'bind::jr:constraintMsg',
  'constraint message': 'bind::jr:constraintMsg',
  constraint_message: 'bind::jr:constraintMsg',
  calculation: 'bind::calculate',
  calculate: 'bind::calculate',
  appearance: 'control::appearance',
  image: 'media::image',
  'big-image': 'media::big-image',
  audio: 'media::audio',
  video: 'media::video',
  count: 'control::jr:count',
  repeat_count: 'control::jr:count',
  'jr:count': 'control::jr:count',
  autoplay: 'control::autoplay',
  rows: 'control::rows',
  noapperrorstring: 'bind::jr:noAppErrorString',
  no_app_error_string: 'bind::jr:noAppErrorString',
  requiredmsg: 'bind::jr:requiredMsg',
  required_message: 'bind::jr:requiredMsg',
  'required message': 'bind::jr:requiredMsg',
  'jr:requiredmsg': 'bind::jr:requiredMsg',
  'jr:constraintmsg': 'bind::jr:constraintMsg',
  save_to: 'bind::entities:saveto',
  compact_tag: 'instance::odk:tag',
  'list name': 'list_name',
  body: 'control',
}

const translatable = new Set([
  'label',
  'hint',
  'guidance_hint',
  'media::image',
  'media::big-image',
  'media::audio',
  'media::video',
  'bind::jr:constraintMsg',
  'bind::jr:requiredMsg',
])

const knownColumns = new Set([
  'type',
  'name',
  'label',
  'hint',
  'guidance_hint',
  'list_name',
  'default',
  'choice_filter',
  'parameters',
  'trigger',
  'media',
  'intent',
  'bind',
  'control',
  'instance',
  'save_to',
  'form_title',
  'form_id',
  'dataset',
  'create_if',
  'update_if',
  'entity_id',
])

const groups = new Set(['bind', 'control', 'body', 'instance', 'media'])
const colonPrefixes = new Set([
  ...groups,
  'label',
  'hint',
  'guidance_hint',
  ...Object.keys(aliases),
])

export type ParsedHeader = { key: string; lang?: string }

export function parseHeader(header: string): ParsedHeader {
  let tokens = header.split('::').map((t) => t.trim())
  if (tokens.length === 1 && header.includes(':')) {
    const at = header.indexOf(':')
    const base = header.slice(0, at).trim().toLowerCase()
    if (colonPrefixes.has(base))
      tokens = [header.slice(0, at), header.slice(at + 1)].map((t) => t.trim())
  }
  const lower = (tokens[0] ?? '').toLowerCase()
  // Known columns match in any case; others (choice filter columns) keep the author's spelling.
  const base =
    knownColumns.has(lower) || lower in aliases || tokens.length > 1 ? lower : (tokens[0] ?? '')
  let key = aliases[base] ?? base
  let rest = tokens.slice(1)
  if (key === 'control' || key === 'bind' || key === 'instance' || key === 'media') {
    const sub = rest[0]
    if (sub !== undefined) {
      const subKey = key === 'media' ? sub.toLowerCase() : sub
      const aliased = aliases[subKey.toLowerCase()]
      key = aliased?.startsWith(`${key}::`) ? aliased : `${key}::${subKey}`
      rest = rest.slice(1)
    }
  }
  if (rest.length === 0) return { key }
  if (translatable.has(key)) return { key, lang: rest.join('::') }
  return { key: [key, ...rest].join('::') }
}

export function isTranslatable(key: string): boolean {
  return translatable.has(key)
}

/** Resolves every header of a sheet once, then maps its rows. */
export function readRows(sheet: Sheet, defaultLanguage: string): FormRow[] {
  const parsed = new Map(sheet.headers.map((h) => [h, parseHeader(h)] as const))
  // One header map for the whole sheet: 50,000 choice rows need not each carry a copy.
  const headers: Record<string, string> = {}
  for (const [header, p] of parsed) headers[p.key] ??= header
  return sheet.rows.map((r) => {
    const out: FormRow = { row: r.row, sheet: sheet.name, values: {}, text: {}, headers }
    for (const [header, raw] of Object.entries(r.cells)) {
      // Spreadsheet apps turn typed quotes into typographic ones; XPath needs the plain ones.
      const value = /[\u2018-\u201d]/.test(raw)
        ? raw.replace(/[\u201c\u201d]/g, '"').replace(/[\u2018\u2019]/g, "'")
        : raw
      const p = parsed.get(header) ?? parseHeader(header)
      if (translatable.has(p.key)) {
        const byLang = (out.text[p.key] ??= {})
        byLang[p.lang ?? defaultLanguage] = value
      } else out.values[p.key] = value
    }
    return out
  })
}

/** Languages named in a sheet's headers (columns like `label::French (fr)`). */
export function sheetLanguages(sheet: Sheet): string[] {
  const langs = new Set<string>()
  for (const h of sheet.headers) {
    const p = parseHeader(h)
    if (p.lang !== undefined && translatable.has(p.key)) langs.add(p.lang)
  }
  return [...langs]
}
