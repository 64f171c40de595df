import { parseXml, type XmlElement } from './xml'

/** RFC 4180 CSV rows (quoted fields, doubled quotes, CRLF or LF). */
export function parseCsvRows(text: string): string[][] {
  const rows: string[][] = []
  let row: string[] = []
  let field = ''
  let quoted = false
  for (let i = 0; i < text.length; i++) {
    const c = text[i]
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"'
        i++
      } else if (c === '"') quoted = false
      else field += c
    } else if (c === '"') quoted = true
    else if (c === ',') {
      row.push(field)
      field = ''
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++
      row.push(field)
      rows.push(row)
      row = []
      field = ''
    } else field += c
  }
  if (field !== '' || row.length > 0) rows.push([...row, field])
  return rows.filter((r) => r.some((cell) => cell !== ''))
}

/** A CSV attachment as ODK exposes it: <root><item><col>value</col>…</item>…</root>. */
export function csvInstance(text: string): XmlElement {
  const [header = [], ...rows] = parseCsvRows(text.replace(/^\uFEFF/, ''))
  return {
    name: 'root',
    attrs: {},
    children: rows.map((row) => ({
      name: 'item',
      attrs: {},
      children: header.map((column, index) => ({ name: column.trim(), attrs: {}, children: [row[index] ?? ''] })),
    })),
  }
}

/** Builds the secondary instance for a `src` from the attachment's text, by its kind. */
export function externalInstance(src: string, text: string): XmlElement | undefined {
  if (src.startsWith('jr://file-csv/') || src.toLowerCase().endsWith('.csv')) return csvInstance(text)
  if (src.toLowerCase().endsWith('.xml')) return parseXml(text)
  return undefined
}
