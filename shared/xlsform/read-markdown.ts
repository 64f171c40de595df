import { sheetFromGrid, type Workbook } from './workbook'

/** Splits one Markdown table line into cells; `\|` is a literal pipe. */
function splitCells(line: string): string[] {
  const cells: string[] = []
  let current = ''
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]
    if (ch === '\\' && line[i + 1] === '|') {
      current += '|'
      i++
    } else if (ch === '|') {
      cells.push(current)
      current = ''
    } else current += ch
  }
  cells.push(current)
  // The text before the first pipe and after the last one is not a cell.
  return cells.slice(1, -1).map((c) => c.trim())
}

/**
 * Reads the Markdown-table layout of pyxform's tests: a row whose first cell is filled starts a
 * sheet, the next row is its header, and the rest are data rows.
 */
export function readMarkdown(text: string): Workbook {
  const sheets: { name: string; grid: { row: number; cells: string[] }[] }[] = []
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim()
    if (!line.startsWith('|')) continue
    const [first = '', ...rest] = splitCells(line)
    if (first !== '') {
      sheets.push({ name: first, grid: [] })
      if (rest.every((c) => c === '')) continue
    }
    const sheet = sheets[sheets.length - 1]
    if (!sheet) continue
    if (sheet.grid.length > 0 && rest.every((c) => c === '')) continue
    sheet.grid.push({ row: sheet.grid.length + 1, cells: rest })
  }
  return { sheets: sheets.map((s) => sheetFromGrid(s.name, s.grid)) }
}
