import { AppFailure } from '../../shared/errors'

/**
 * RFC 4180 CSV: quoted fields may hold commas, quotes ("") and line breaks; CRLF or LF rows; a
 * leading BOM (Excel writes one) is dropped. Returns rows of strings; blank lines are skipped.
 */
export function parseCsv(text: string): string[][] {
  const source = text.startsWith('\uFEFF') ? text.slice(1) : text
  const rows: string[][] = []
  let row: string[] = []
  let field = ''
  let quoted = false
  for (let i = 0; i < source.length; i++) {
    const char = source[i]
    if (quoted) {
      if (char === '"' && source[i + 1] === '"') {
        field += '"'
        i++
      } else if (char === '"') quoted = false
      else field += char
    } else if (char === '"' && field === '') quoted = true
    else if (char === ',') {
      row.push(field)
      field = ''
    } else if (char === '\n' || char === '\r') {
      if (char === '\r' && source[i + 1] === '\n') i++
      row.push(field)
      field = ''
      if (row.some((cell) => cell !== '')) rows.push(row)
      row = []
    } else field += char
  }
  if (quoted)
    throw new AppFailure(
      'validation',
      'The CSV file ends inside a quoted field: a closing " is missing.',
    )
  row.push(field)
  if (row.some((cell) => cell !== '')) rows.push(row)
  return rows
}

export type EntityRow = { entityId: string; label: string; values: Record<string, string> }

/** Reads an ODK-style entity list: a `name` column (the entity id), optional `label`, any others. */
export function readEntityCsv(text: string): { columns: string[]; entities: EntityRow[] } {
  const [header, ...body] = parseCsv(text)
  const columns = (header ?? []).map((cell) => cell.trim())
  const nameAt = columns.indexOf('name')
  if (nameAt < 0)
    throw new AppFailure(
      'validation',
      'The CSV needs a "name" column holding each entry\'s unique id.',
    )
  const labelAt = columns.indexOf('label')
  const seen = new Set<string>()
  const entities = body.map((cells, index) => {
    const entityId = (cells[nameAt] ?? '').trim()
    const line = index + 2
    if (!entityId) throw new AppFailure('validation', `Row ${line} of the CSV has no name.`)
    if (seen.has(entityId))
      throw new AppFailure('validation', `Row ${line} repeats the name "${entityId}".`)
    if (cells.length > columns.length)
      throw new AppFailure('validation', `Row ${line} has more cells than the header.`)
    seen.add(entityId)
    const values = Object.fromEntries(columns.map((column, at) => [column, cells[at] ?? '']))
    return { entityId, label: labelAt >= 0 ? (cells[labelAt] ?? entityId) : entityId, values }
  })
  return { columns, entities }
}
