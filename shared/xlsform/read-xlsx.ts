import { unzipSync } from 'fflate'
import { sheetFromGrid, type Sheet, type Workbook } from './workbook'
import { decodeXmlText } from './xml-text'

/**
 * Reads an .xlsx (Office Open XML) workbook: unzip with fflate, then scan the few XML parts we
 * need. XLSForm only needs each cell's text, so a DOM is not worth its cost on 50,000-row sheets.
 */
export function readXlsx(bytes: Uint8Array): Workbook {
  const files = unzipSync(bytes, {
    filter: (f) => f.name.startsWith('xl/') && !f.name.startsWith('xl/media/'),
  })
  const decoder = new TextDecoder('utf-8')
  const text = (name: string): string | undefined => {
    const data = files[name]
    return data ? decoder.decode(data) : undefined
  }
  const workbookXml = text('xl/workbook.xml')
  if (workbookXml === undefined) throw new Error('not an xlsx workbook')
  const targets = relationshipTargets(text('xl/_rels/workbook.xml.rels') ?? '')
  const shared = sharedStrings(text('xl/sharedStrings.xml') ?? '')
  const dateStyles = dateStyleIndexes(text('xl/styles.xml') ?? '')
  const sheets: Sheet[] = []
  for (const m of workbookXml.matchAll(/<(?:\w+:)?sheet\b([^>]*)\/?>/g)) {
    const attrs = m[1] ?? ''
    const name = decodeXmlText(attr(attrs, 'name') ?? '')
    const target = targets.get(attr(attrs, 'r:id') ?? '')
    if (!target) continue
    const path = target.startsWith('/') ? target.slice(1) : `xl/${target.replace(/^\.\//, '')}`
    const xml = text(path)
    if (xml === undefined) continue
    sheets.push(sheetFromGrid(name, readSheetGrid(xml, shared, dateStyles)))
  }
  return { sheets }
}

/** Reads one attribute by scanning, not by regex: this runs for every cell of every sheet. */
function attr(attrs: string, name: string): string | undefined {
  const needle = `${name}="`
  let at = attrs.indexOf(needle)
  while (at > 0 && !/\s/.test(attrs[at - 1] ?? '')) at = attrs.indexOf(needle, at + 1)
  if (at < 0) return undefined
  const start = at + needle.length
  const end = attrs.indexOf('"', start)
  return end < 0 ? undefined : attrs.slice(start, end)
}

function relationshipTargets(xml: string): Map<string, string> {
  const map = new Map<string, string>()
  for (const m of xml.matchAll(/<Relationship\b([^>]*)\/?>/g)) {
    const id = attr(m[1] ?? '', 'Id')
    const target = attr(m[1] ?? '', 'Target')
    if (id && target) map.set(id, target)
  }
  return map
}

/** Concatenates the runs of each shared string, leaving out phonetic guides (<rPh>). */
function sharedStrings(xml: string): string[] {
  const out: string[] = []
  for (const m of xml.matchAll(/<si>([\s\S]*?)<\/si>/g)) {
    const body = (m[1] ?? '').replace(/<rPh\b[\s\S]*?<\/rPh>/g, '')
    let s = ''
    for (const t of body.matchAll(/<t\b[^>]*>([\s\S]*?)<\/t>/g)) s += t[1] ?? ''
    out.push(decodeXmlText(s))
  }
  return out
}

const builtinDateFormats = new Set([14, 15, 16, 17, 18, 19, 20, 21, 22, 45, 46, 47])

/** Style indexes whose number format shows a date or time, so their numbers become ISO text. */
function dateStyleIndexes(xml: string): Set<number> {
  const custom = new Map<number, string>()
  for (const m of xml.matchAll(/<numFmt\b([^>]*)\/?>/g)) {
    const id = Number(attr(m[1] ?? '', 'numFmtId'))
    custom.set(id, decodeXmlText(attr(m[1] ?? '', 'formatCode') ?? ''))
  }
  const result = new Set<number>()
  const xfs = /<cellXfs\b[^>]*>([\s\S]*?)<\/cellXfs>/.exec(xml)?.[1] ?? ''
  let index = 0
  for (const m of xfs.matchAll(/<xf\b([^>]*)\/?>/g)) {
    const id = Number(attr(m[1] ?? '', 'numFmtId') ?? '0')
    const code = (custom.get(id) ?? '').replace(/"[^"]*"|\[[^\]]*\]/g, '')
    if (builtinDateFormats.has(id) || /[dmyhs]/i.test(code)) result.add(index)
    index++
  }
  return result
}

function columnIndex(ref: string): number {
  let n = 0
  for (const ch of ref) {
    const code = ch.charCodeAt(0)
    if (code < 65 || code > 90) break
    n = n * 26 + (code - 64)
  }
  return n - 1
}

function readSheetGrid(
  xml: string,
  shared: string[],
  dateStyles: Set<number>,
): { row: number; cells: string[] }[] {
  const grid: { row: number; cells: string[] }[] = []
  for (const rm of xml.matchAll(/<row\b([^>]*?)(?:\/>|>([\s\S]*?)<\/row>)/g)) {
    const rowNumber = Number(attr(rm[1] ?? '', 'r') ?? grid.length + 1)
    const cells: string[] = []
    let next = 0
    for (const cm of (rm[2] ?? '').matchAll(/<c\b([^>]*?)(?:\/>|>([\s\S]*?)<\/c>)/g)) {
      const attrs = cm[1] ?? ''
      const ref = attr(attrs, 'r')
      const col = ref ? columnIndex(ref) : next
      next = col + 1
      const value = cellText(attrs, cm[2] ?? '', shared, dateStyles)
      while (cells.length < col) cells.push('')
      cells[col] = value
    }
    grid.push({ row: rowNumber, cells })
  }
  return grid
}

function cellText(attrs: string, body: string, shared: string[], dateStyles: Set<number>): string {
  const type = attr(attrs, 't') ?? 'n'
  if (type === 'inlineStr') {
    let s = ''
    for (const t of body.matchAll(/<t\b[^>]*>([\s\S]*?)<\/t>/g)) s += t[1] ?? ''
    return decodeXmlText(s)
  }
  const raw = /<v>([\s\S]*?)<\/v>/.exec(body)?.[1]
  if (raw === undefined) return ''
  if (type === 's') return shared[Number(raw)] ?? ''
  if (type === 'b') return raw === '1' ? 'TRUE' : 'FALSE'
  if (type === 'n') {
    const style = Number(attr(attrs, 's') ?? '0')
    return dateStyles.has(style) ? excelDateText(Number(raw)) : numberText(raw)
  }
  return decodeXmlText(raw)
}

/** Whole numbers stored as floats read as integers, as pyxform prints them. */
function numberText(raw: string): string {
  const n = Number(raw)
  return Number.isFinite(n) && Number.isInteger(n) ? String(n) : raw
}

/** Excel serial date (1900 system) to ISO text: date, time, or both, as pyxform renders them. */
function excelDateText(serial: number): string {
  const ms = Math.round((serial - 25569) * 86400000)
  const iso = new Date(ms).toISOString()
  if (serial < 1) return iso.slice(11, 19)
  // pyxform prints spreadsheet dates as Python datetimes: date and time, even at midnight.
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}`
}
