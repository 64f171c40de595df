import { sheetFromGrid, type Workbook } from './workbook'

/** RFC 4180 parsing: quoted fields may hold commas, doubled quotes and line breaks. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = []
  let row: string[] = []
  let field = ''
  let quoted = false
  const src = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text
  for (let i = 0; i < src.length; i++) {
    const ch = src[i]
    if (quoted) {
      if (ch === '"' && src[i + 1] === '"') {
        field += '"'
        i++
      } else if (ch === '"') quoted = false
      else field += ch
    } else if (ch === '"') quoted = true
    else if (ch === ',') {
      row.push(field)
      field = ''
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && src[i + 1] === '\n') i++
      row.push(field)
      rows.push(row)
      row = []
      field = ''
    } else field += ch
  }
  if (field !== '' || row.length > 0) {
    row.push(field)
    rows.push(row)
  }
  return rows
}

/**
 * Reads the XLSForm CSV layout: a row whose first cell is filled names a sheet, the next row is
 * that sheet's header (shifted one column right), then its data rows.
 */
export function readCsv(text: string): Workbook {
  const sheets: { name: string; grid: { row: number; cells: string[] }[] }[] = []
  for (const cells of parseCsv(text)) {
    const [first = '', ...rest] = cells
    if (first.trim() !== '') {
      sheets.push({ name: first.trim(), grid: [] })
      continue
    }
    const sheet = sheets[sheets.length - 1]
    if (!sheet || rest.every((c) => c.trim() === '')) continue
    sheet.grid.push({ row: sheet.grid.length + 1, cells: rest })
  }
  return { sheets: sheets.map((s) => sheetFromGrid(s.name, s.grid)) }
}
