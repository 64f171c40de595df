import { readCfbStream } from './read-cfb'
import { sheetFromGrid, type Sheet, type Workbook } from './workbook'

/**
 * Reads legacy Excel 97-2003 (.xls, BIFF8) workbooks: the compound-file container, the shared
 * string table and the cell records XLSForm needs (text, numbers, booleans, formula results).
 */
type Rec = { type: number; data: Uint8Array; offset: number }

function records(stream: Uint8Array, from: number): Rec[] {
  const out: Rec[] = []
  const view = new DataView(stream.buffer, stream.byteOffset, stream.byteLength)
  for (let pos = from; pos + 4 <= stream.length;) {
    const type = view.getUint16(pos, true)
    const len = view.getUint16(pos + 2, true)
    out.push({ type, data: stream.subarray(pos + 4, pos + 4 + len), offset: pos })
    pos += 4 + len
    if (type === 0x000a) break
  }
  return out
}

/** Reads across a record and its CONTINUE records; strings restate their width after a break. */
class Cursor {
  private part = 0
  private at = 0
  constructor(private readonly parts: Uint8Array[]) {}
  private current(): Uint8Array {
    while (this.part < this.parts.length && this.at >= (this.parts[this.part]?.length ?? 0)) {
      this.part++
      this.at = 0
    }
    return this.parts[this.part] ?? new Uint8Array(0)
  }
  u8(): number {
    return this.current()[this.at++] ?? 0
  }
  u16(): number {
    return this.u8() | (this.u8() << 8)
  }
  u32(): number {
    return (this.u16() | (this.u16() << 16)) >>> 0
  }
  skip(n: number): void {
    for (let i = 0; i < n; i++) this.u8()
  }
  chars(count: number, highByte: boolean): string {
    let out = ''
    let wide = highByte
    for (let i = 0; i < count; i++) {
      const seg = this.parts[this.part]
      if (i > 0 && seg && this.at >= seg.length) {
        this.current()
        wide = (this.u8() & 1) === 1
      }
      out += String.fromCharCode(wide ? this.u16() : this.u8())
    }
    return out
  }
}

function unicodeString(c: Cursor, cch: number): string {
  const flags = c.u8()
  const runs = flags & 0x08 ? c.u16() : 0
  const ext = flags & 0x04 ? c.u32() : 0
  const text = c.chars(cch, (flags & 1) === 1)
  c.skip(runs * 4 + ext)
  return text
}

function sharedStrings(recs: Rec[], index: number): string[] {
  const parts = [recs[index]?.data ?? new Uint8Array(0)]
  for (let i = index + 1; recs[i]?.type === 0x003c; i++)
    parts.push(recs[i]?.data ?? new Uint8Array(0))
  const c = new Cursor(parts)
  c.u32()
  const unique = c.u32()
  const out: string[] = []
  for (let i = 0; i < unique; i++) out.push(unicodeString(c, c.u16()))
  return out
}

const builtinDates = new Set([14, 15, 16, 17, 18, 19, 20, 21, 22, 45, 46, 47])

type Globals = {
  sheets: { name: string; offset: number }[]
  sst: string[]
  dateXf: Set<number>
  date1904: boolean
}

function globals(recs: Rec[]): Globals {
  const g: Globals = { sheets: [], sst: [], dateXf: new Set(), date1904: false }
  const formats = new Map<number, string>()
  let xf = 0
  recs.forEach((r, i) => {
    const v = new DataView(r.data.buffer, r.data.byteOffset, r.data.byteLength)
    if (r.type === 0x002f) throw new Error('the workbook is password-protected')
    if (r.type === 0x0022) g.date1904 = v.getUint16(0, true) === 1
    if (r.type === 0x00fc) g.sst = sharedStrings(recs, i)
    if (r.type === 0x041e)
      formats.set(
        v.getUint16(0, true),
        unicodeString(new Cursor([r.data.subarray(4)]), v.getUint16(2, true)),
      )
    if (r.type === 0x00e0) {
      const fmt = v.getUint16(2, true)
      const code = (formats.get(fmt) ?? '').replace(/"[^"]*"|\[[^\]]*\]/g, '')
      if (builtinDates.has(fmt) || /[dmyhs]/i.test(code)) g.dateXf.add(xf)
      xf++
    }
    if (r.type === 0x0085 && r.data[5] === 0) {
      const c = new Cursor([r.data.subarray(6)])
      const cch = r.data[6] ?? 0
      c.u8()
      g.sheets.push({ name: c.chars(cch, (c.u8() & 1) === 1), offset: v.getUint32(0, true) })
    }
  })
  return g
}

function rk(value: number): number {
  const scaled = value & 1
  let n: number
  if (value & 2) n = value >> 2
  else {
    const buf = new DataView(new ArrayBuffer(8))
    buf.setUint32(4, value & 0xfffffffc, true)
    n = buf.getFloat64(0, true)
  }
  return scaled ? n / 100 : n
}

function numberText(n: number, xf: number, g: Globals): string {
  if (!g.dateXf.has(xf)) return Number.isInteger(n) ? String(n) : String(n)
  const serial = g.date1904 ? n + 1462 : n
  const iso = new Date(Math.round((serial - 25569) * 86400000)).toISOString()
  if (serial < 1) return iso.slice(11, 19)
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}`
}

function readSheet(stream: Uint8Array, name: string, offset: number, g: Globals): Sheet {
  const rows = new Map<number, string[]>()
  const put = (row: number, col: number, text: string): void => {
    const cells = rows.get(row) ?? []
    while (cells.length < col) cells.push('')
    cells[col] = text
    rows.set(row, cells)
  }
  let pendingFormula: [number, number] | undefined
  for (const r of records(stream, offset)) {
    const v = new DataView(r.data.buffer, r.data.byteOffset, r.data.byteLength)
    const row = r.data.length >= 4 ? v.getUint16(0, true) : 0
    const col = r.data.length >= 4 ? v.getUint16(2, true) : 0
    if (r.type === 0x00fd) put(row, col, g.sst[v.getUint32(6, true)] ?? '')
    else if (r.type === 0x0204 || r.type === 0x00d6)
      put(row, col, unicodeString(new Cursor([r.data.subarray(8)]), v.getUint16(6, true)))
    else if (r.type === 0x0203)
      put(row, col, numberText(v.getFloat64(6, true), v.getUint16(4, true), g))
    else if (r.type === 0x027e)
      put(row, col, numberText(rk(v.getUint32(6, true)), v.getUint16(4, true), g))
    else if (r.type === 0x00bd) {
      for (let at = 4, c = col; at + 6 <= r.data.length - 2; at += 6, c++)
        put(row, c, numberText(rk(v.getUint32(at + 2, true)), v.getUint16(at, true), g))
    } else if (r.type === 0x0205) put(row, col, r.data[7] ? '' : r.data[6] ? 'TRUE' : 'FALSE')
    else if (r.type === 0x0006) {
      const special = r.data[12] === 0xff && r.data[13] === 0xff
      if (!special) put(row, col, numberText(v.getFloat64(6, true), v.getUint16(4, true), g))
      else if (r.data[6] === 0) pendingFormula = [row, col]
      else if (r.data[6] === 1) put(row, col, r.data[8] ? 'TRUE' : 'FALSE')
    } else if (r.type === 0x0207 && pendingFormula) {
      put(
        pendingFormula[0],
        pendingFormula[1],
        unicodeString(new Cursor([r.data.subarray(2)]), v.getUint16(0, true)),
      )
      pendingFormula = undefined
    }
  }
  const grid = [...rows.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([row, cells]) => ({ row: row + 1, cells }))
  return sheetFromGrid(name, grid)
}

export function readXls(bytes: Uint8Array): Workbook {
  const stream = readCfbStream(bytes, ['Workbook', 'Book'])
  if (!stream) throw new Error('no workbook stream')
  const g = globals(records(stream, 0))
  return { sheets: g.sheets.map((s) => readSheet(stream, s.name, s.offset, g)) }
}
