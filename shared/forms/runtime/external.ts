import { isBlankRow, parseCsv } from '../../csv'
import { parseXml, type XmlElement } from './xml'

/** A CSV attachment as ODK exposes it: <root><item><col>value</col>…</item>…</root>. */
export function csvInstance(text: string): XmlElement {
  const [header = [], ...rows] = parseCsv(text).filter((row) => !isBlankRow(row))
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
