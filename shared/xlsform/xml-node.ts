import { escapeXmlAttr, escapeXmlText } from './xml-text'

/** A minimal XML tree: enough to build an XForm and print it the way pyxform does. */
export type XmlNode = {
  name: string
  attrs: Record<string, string>
  children: XmlNode[]
  text?: string
  /** Raw, already well-formed XML (labels may hold <output value="…"/>). */
  raw?: string
  /**
   * Pre-serialised child lines, indented relative to this element's children. Large parts
   * (choice lists, itext) are written this way: 50,000 choices as objects cost more in GC than
   * the whole rest of the compile.
   */
  rawLines?: string[]
}

export function el(
  name: string,
  attrs: Record<string, string | undefined> = {},
  children: (XmlNode | undefined)[] = [],
  text?: string,
): XmlNode {
  const clean: Record<string, string> = {}
  for (const [k, v] of Object.entries(attrs)) if (v !== undefined) clean[k] = v
  const node: XmlNode = { name, attrs: clean, children: children.filter((c) => c !== undefined) }
  if (text !== undefined) node.text = text
  return node
}

/** An element whose content is pre-built XML (for labels with <output/> references). */
export function linesEl(name: string, attrs: Record<string, string>, lines: string[]): XmlNode {
  return { name, attrs, children: [], rawLines: lines }
}

export function rawEl(name: string, attrs: Record<string, string>, raw: string): XmlNode {
  return { name, attrs, children: [], raw }
}

function openTag(node: XmlNode): string {
  const keys = Object.keys(node.attrs).sort()
  let s = `<${node.name}`
  for (const k of keys) s += ` ${k}="${escapeXmlAttr(node.attrs[k] ?? '')}"`
  return s
}

/** Pretty prints with two-space indentation and sorted attributes, as pyxform's output reads. */
export function serialize(node: XmlNode, indent = ''): string {
  const out: string[] = []
  write(node, indent, out)
  return out.join('')
}

function write(node: XmlNode, indent: string, out: string[]): void {
  const open = openTag(node)
  if (node.raw !== undefined) {
    out.push(`${indent}${open}>${node.raw}</${node.name}>\n`)
  } else if (node.rawLines !== undefined) {
    out.push(`${indent}${open}>\n`)
    const inner = `${indent}  `
    // One join per block: a push per line costs more in garbage than the rest of the output.
    if (node.rawLines.length > 0) out.push(`${inner}${node.rawLines.join(`\n${inner}`)}\n`)
    out.push(`${indent}</${node.name}>\n`)
  } else if (node.children.length === 0) {
    out.push(
      node.text === undefined || node.text === ''
        ? `${indent}${open}/>\n`
        : `${indent}${open}>${escapeXmlText(node.text)}</${node.name}>\n`,
    )
  } else {
    out.push(`${indent}${open}>\n`)
    if (node.text) out.push(`${indent}  ${escapeXmlText(node.text)}\n`)
    for (const child of node.children) write(child, `${indent}  `, out)
    out.push(`${indent}</${node.name}>\n`)
  }
}
