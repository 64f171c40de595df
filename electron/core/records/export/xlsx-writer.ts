import { createReadStream, closeSync, openSync, renameSync, rmSync, writeSync } from 'node:fs'
import { Zip, ZipDeflate, ZipPassThrough, strToU8 } from 'fflate'
import type { SheetWriter } from './csv-writer'
import type { Cell } from './sheets'
import { workbookParts } from './xlsx-parts'

const flushAt = 256 * 1024
const maxCellText = 32_767 // Excel's limit per cell

// Characters XML 1.0 forbids; a stray control character would make the whole file unreadable.
// eslint-disable-next-line no-control-regex
const invalidXml = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g

export function columnName(index: number): string {
  let name = ''
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26)) name = String.fromCharCode(65 + ((n - 1) % 26)) + name
  return name
}

const escapeXml = (text: string) =>
  text.replace(invalidXml, '').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')

function rowXml(rowNumber: number, cells: Cell[], columns: string[]): string {
  let xml = `<row r="${rowNumber}">`
  cells.forEach((cell, i) => {
    if (cell === null) return
    const ref = `${columns[i] ?? columnName(i)}${rowNumber}`
    if (typeof cell === 'number' && Number.isFinite(cell)) xml += `<c r="${ref}"><v>${cell}</v></c>`
    else {
      const text = escapeXml(String(cell).slice(0, maxCellText))
      const space = /^\s|\s$/.test(text) ? ' xml:space="preserve"' : ''
      xml += `<c r="${ref}" t="inlineStr"><is><t${space}>${text}</t></is></c>`
    }
  })
  return `${xml}</row>`
}

const sheetHead = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
const sheetTail = '</sheetData></worksheet>'

/**
 * A streaming XLSX writer over fflate's Zip (already a dependency; exceljs' streaming writer
 * pulls unmaintained archiver/unzipper chains). Strings are inline, so there is no shared-string
 * table to hold in memory. The main sheet streams straight into the zip; repeat sheets go to
 * temporary files first (a zip entry must be contiguous) and are copied in at the end.
 */
export function openXlsxWriter(path: string, sheets: { name: string; header: string[] }[]): SheetWriter {
  const temp = `${path}.partial`
  const fd = openSync(temp, 'w')
  let zipError: Error | null = null
  const zip = new Zip((error, chunk) => {
    if (error) zipError = error
    else writeSync(fd, chunk)
  })
  for (const [name, text] of workbookParts(sheets.map((s) => s.name))) {
    const part = new ZipPassThrough(name)
    zip.add(part)
    part.push(strToU8(text), true)
  }
  const main = new ZipDeflate('xl/worksheets/sheet1.xml', { level: 3 })
  zip.add(main)
  const sideFiles = sheets.slice(1).map((_, i) => `${temp}.sheet${i + 2}`)
  const sideFds = sideFiles.map((f) => openSync(f, 'w'))
  const columns = sheets.map((s) => s.header.map((_, i) => columnName(i)))
  const rowCounts = sheets.map(() => 1)
  const buffers = sheets.map((s, i) => (i === 0 ? sheetHead : '') + rowXml(1, s.header, columns[i] ?? []))
  const flush = (i: number) => {
    if (i === 0) main.push(strToU8(buffers[0] ?? ''))
    else writeSync(sideFds[i - 1] ?? -1, buffers[i] ?? '')
    buffers[i] = ''
  }
  const cleanup = () => {
    for (const f of sideFiles) rmSync(f, { force: true })
  }
  return {
    row: (sheet, cells) => {
      rowCounts[sheet] = (rowCounts[sheet] ?? 0) + 1
      buffers[sheet] += rowXml(rowCounts[sheet] ?? 0, cells, columns[sheet] ?? [])
      if ((buffers[sheet]?.length ?? 0) > flushAt) flush(sheet)
    },
    close: async () => {
      flush(0)
      main.push(strToU8(sheetTail), true)
      for (let i = 1; i < sheets.length; i++) {
        flush(i)
        closeSync(sideFds[i - 1] ?? -1)
        const entry = new ZipDeflate(`xl/worksheets/sheet${i + 1}.xml`, { level: 3 })
        zip.add(entry)
        entry.push(strToU8(sheetHead))
        for await (const chunk of createReadStream(sideFiles[i - 1] ?? '', { highWaterMark: flushAt })) entry.push(chunk as Buffer)
        entry.push(strToU8(sheetTail), true)
      }
      zip.end()
      closeSync(fd)
      cleanup()
      if (zipError) throw zipError
      renameSync(temp, path)
      return [path]
    },
    abort: () => {
      closeSync(fd)
      for (const f of sideFds) closeSync(f)
      cleanup()
      rmSync(temp, { force: true })
    },
  }
}
