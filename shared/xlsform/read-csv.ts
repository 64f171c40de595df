import { parseCsv } from '../csv'
import { sheetFromGrid, type Workbook } from './workbook'

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
