/**
 * The spreadsheet as the readers hand it to the compiler: every sheet as rows of trimmed strings,
 * keyed by the header text exactly as the author wrote it. Empty cells are absent.
 */
export type SheetRow = {
  /** 1-based row number in the sheet as the author sees it (the header is row 1). */
  row: number
  cells: Record<string, string>
}

export type Sheet = {
  name: string
  headers: string[]
  rows: SheetRow[]
}

export type Workbook = { sheets: Sheet[] }

/** Builds a sheet from a header row and data rows given as arrays of cell texts. */
export function sheetFromGrid(name: string, grid: { row: number; cells: string[] }[]): Sheet {
  const header = grid[0]
  if (!header) return { name, headers: [], rows: [] }
  const headers = header.cells.map((h) => h.trim())
  const rows: SheetRow[] = []
  for (const line of grid.slice(1)) {
    const cells: Record<string, string> = {}
    let any = false
    line.cells.forEach((raw, index) => {
      const key = headers[index]
      const value = raw.trim()
      if (!key || value === '' || key in cells) return
      cells[key] = value
      any = true
    })
    if (any) rows.push({ row: line.row, cells })
  }
  return { name, headers: headers.filter((h) => h !== ''), rows }
}
