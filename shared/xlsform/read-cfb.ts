/**
 * Minimal reader for the Compound File Binary format (OLE2), the container of legacy .xls
 * workbooks: enough to pull one named stream out of a well-formed file.
 */
const END = 0xfffffffe
const FREE = 0xffffffff

export function readCfbStream(bytes: Uint8Array, names: string[]): Uint8Array | undefined {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  if (view.getUint32(0, true) !== 0xe011cfd0 || view.getUint32(4, true) !== 0xe11ab1a1)
    throw new Error('not a compound file')
  const sectorSize = 1 << view.getUint16(0x1e, true)
  const miniSize = 1 << view.getUint16(0x20, true)
  const cutoff = view.getUint32(0x38, true)
  const sector = (n: number): Uint8Array =>
    bytes.subarray((n + 1) * sectorSize, (n + 2) * sectorSize)
  const fat = readFat(view, bytes, sectorSize, sector)
  const chain = (start: number, table: number[]): number[] => {
    const out: number[] = []
    for (
      let n = start;
      n !== END && n !== FREE && n < table.length && out.length <= table.length;
      n = table[n] ?? END
    )
      out.push(n)
    return out
  }
  const readChain = (start: number): Uint8Array => concat(chain(start, fat).map(sector))
  const dir = readChain(view.getUint32(0x30, true))
  const miniFat = words(readChain(view.getUint32(0x3c, true)))
  let rootStart = END
  for (let off = 0; off + 128 <= dir.length; off += 128) {
    const entry = new DataView(dir.buffer, dir.byteOffset + off, 128)
    const type = entry.getUint8(0x42)
    const start = entry.getUint32(0x74, true)
    const size = entry.getUint32(0x78, true)
    if (type === 5) rootStart = start
    const nameLength = Math.max(0, entry.getUint16(0x40, true) - 2)
    const name = new TextDecoder('utf-16le').decode(dir.subarray(off, off + nameLength))
    if (type !== 2 || !names.includes(name)) continue
    if (size >= cutoff) return readChain(start).subarray(0, size)
    const ministream = readChain(rootStart)
    const parts = chain(start, miniFat).map((n) =>
      ministream.subarray(n * miniSize, (n + 1) * miniSize),
    )
    return concat(parts).subarray(0, size)
  }
  return undefined
}

function readFat(
  view: DataView,
  bytes: Uint8Array,
  sectorSize: number,
  sector: (n: number) => Uint8Array,
): number[] {
  const fatSectors: number[] = []
  const count = view.getUint32(0x2c, true)
  for (let i = 0; i < 109 && fatSectors.length < count; i++)
    fatSectors.push(view.getUint32(0x4c + i * 4, true))
  let difat = view.getUint32(0x44, true)
  const perSector = sectorSize / 4 - 1
  for (
    let guard = 0;
    difat !== END && difat !== FREE && fatSectors.length < count && guard < 1 << 16;
    guard++
  ) {
    const entries = words(sector(difat))
    for (let i = 0; i < perSector && fatSectors.length < count; i++)
      fatSectors.push(entries[i] ?? FREE)
    difat = entries[perSector] ?? END
  }
  if ((count + 1) * sectorSize > bytes.length + sectorSize)
    throw new Error('truncated compound file')
  return fatSectors.flatMap((n) => words(sector(n)))
}

function words(data: Uint8Array): number[] {
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength)
  const out: number[] = []
  for (let i = 0; i + 4 <= data.length; i += 4) out.push(view.getUint32(i, true))
  return out
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0))
  let at = 0
  for (const p of parts) {
    out.set(p, at)
    at += p.length
  }
  return out
}
