import { closeSync, openSync, renameSync, rmSync, writeSync } from 'node:fs'
import { basename, dirname, extname, join } from 'node:path'
import type { Cell } from './sheets'

export type SheetWriter = {
  row: (sheet: number, cells: Cell[]) => void
  /** Finishes the files and returns their paths; `abort` removes what was written. */
  close: () => Promise<string[]>
  abort: () => void
}

const flushAt = 64 * 1024

/**
 * A text answer that starts like a formula (=, +, -, @, tab, CR) would run as one when the file is
 * opened in a spreadsheet (CSV injection); a leading apostrophe keeps it text. Numbers, which are
 * exported as numbers, are left alone so that -5 stays -5.
 */
function neutralise(cell: Exclude<Cell, null>): string {
  const text = String(cell)
  return typeof cell === 'string' && /^[=+\-@\t\r]/.test(text) ? `'${text}` : text
}

export function csvCell(cell: Cell): string {
  if (cell === null) return ''
  const text = neutralise(cell)
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text
}

/** Main records at `path`, each repeat beside it as `<stem>-<repeat>.csv`. */
export function csvPaths(path: string, sheetNames: string[]): string[] {
  const ext = extname(path) || '.csv'
  const stem = basename(path, extname(path))
  return sheetNames.map((name, i) => (i === 0 ? path : join(dirname(path), `${stem}-${name}${ext}`)))
}

/**
 * One CSV file per sheet, UTF-8 with a byte-order mark so Excel shows accents. Rows are buffered
 * and written synchronously in 64 KB chunks (memory stays flat however many records); each
 * file is written under a temporary name and renamed at the end, so a file with the final name
 * is always a complete export.
 */
export function openCsvWriter(path: string, sheets: { name: string; header: string[] }[]): SheetWriter {
  const finals = csvPaths(path, sheets.map((s) => s.name))
  const temps = finals.map((f) => `${f}.partial`)
  const fds = temps.map((t) => openSync(t, 'w'))
  const buffers = sheets.map((s) => `\uFEFF${s.header.map(csvCell).join(',')}\r\n`)
  const flush = (i: number) => {
    const fd = fds[i]
    if (fd !== undefined && buffers[i]) writeSync(fd, buffers[i] ?? '')
    buffers[i] = ''
  }
  return {
    row: (sheet, cells) => {
      buffers[sheet] += `${cells.map(csvCell).join(',')}\r\n`
      if ((buffers[sheet]?.length ?? 0) > flushAt) flush(sheet)
    },
    close: () => {
      fds.forEach((fd, i) => {
        flush(i)
        closeSync(fd)
        renameSync(temps[i] ?? '', finals[i] ?? '')
      })
      return Promise.resolve(finals)
    },
    abort: () => {
      for (const fd of fds) closeSync(fd)
      for (const t of temps) rmSync(t, { force: true })
    },
  }
}
