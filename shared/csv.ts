import { AppFailure } from './errors'

/**
 * RFC 4180 CSV: quoted fields may hold commas, doubled quotes and line breaks; rows end with CRLF
 * or LF; a leading BOM (Excel writes one) is dropped. Every row is returned, blank ones included,
 * so that callers can report file line numbers; a file that ends inside quotes is refused.
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
      rows.push(row)
      row = []
      field = ''
    } else field += char
  }
  if (quoted) throw new AppFailure('validation', 'The CSV file ends inside a quoted field: a closing " is missing.')
  if (field !== '' || row.length > 0) rows.push([...row, field])
  return rows
}

export const isBlankRow = (row: readonly string[]): boolean => row.every((cell) => cell.trim() === '')
