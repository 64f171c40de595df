import { readCsv } from './read-csv'
import { readMarkdown } from './read-markdown'
import { readXls } from './read-xls'
import { readXlsx } from './read-xlsx'
import type { Workbook } from './workbook'

export type ReadResult = { ok: true; workbook: Workbook } | { ok: false; message: string }

/** Picks the reader from the file name (and the zip signature), so callers only pass bytes. */
export function readFormFile(fileName: string, bytes: Uint8Array): ReadResult {
  const lower = fileName.toLowerCase()
  const isZip = bytes[0] === 0x50 && bytes[1] === 0x4b
  const isCfb = bytes[0] === 0xd0 && bytes[1] === 0xcf && bytes[2] === 0x11 && bytes[3] === 0xe0
  try {
    if (lower.endsWith('.xlsx') || lower.endsWith('.xlsm') || isZip)
      return { ok: true, workbook: readXlsx(bytes) }
    if (lower.endsWith('.xls') || isCfb) return { ok: true, workbook: readXls(bytes) }
    const text = new TextDecoder('utf-8').decode(bytes)
    if (lower.endsWith('.csv')) return { ok: true, workbook: readCsv(text) }
    if (lower.endsWith('.md')) return { ok: true, workbook: readMarkdown(text) }
  } catch {
    // The reader's own error names zip or XML internals; the author needs to know the file is unreadable.
    return {
      ok: false,
      message: `"${fileName}" could not be read as a spreadsheet. Check that it opens in Excel or LibreOffice (and is not password-protected), then save it again as .xlsx.`,
    }
  }
  return {
    ok: false,
    message: `"${fileName}" is not an XLSForm file Outpost reads (.xlsx, .xls, .csv or .md).`,
  }
}

/** The form name pyxform derives from a file name: its stem. */
export function formNameFromFile(fileName: string): string {
  const base = fileName.split(/[\\/]/).pop() ?? fileName
  const dot = base.lastIndexOf('.')
  return dot > 0 ? base.slice(0, dot) : base
}
