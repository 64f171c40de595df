import { SaxesParser } from 'saxes'

/** A parsed XML element: qualified name as written, attributes, children in document order. */
export type XmlElement = {
  name: string
  attrs: Record<string, string>
  children: XmlChild[]
}
export type XmlChild = XmlElement | string

export class XmlSyntaxError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'XmlSyntaxError'
  }
}

/**
 * Parses XML into a light tree. Namespace prefixes are kept as written (`h:title`, `jr:itext`):
 * XForms are read by their conventional prefixes, and instance data is unprefixed.
 */
export function parseXml(text: string): XmlElement {
  const parser = new SaxesParser({ position: true })
  const stack: XmlElement[] = []
  let root: XmlElement | undefined
  parser.on('opentag', (tag) => {
    const element: XmlElement = { name: tag.name, attrs: { ...(tag.attributes as Record<string, string>) }, children: [] }
    const parent = stack[stack.length - 1]
    if (parent) parent.children.push(element)
    else root = element
    stack.push(element)
  })
  parser.on('closetag', () => void stack.pop())
  const addText = (content: string) => {
    const parent = stack[stack.length - 1]
    if (!parent) return
    const last = parent.children[parent.children.length - 1]
    if (typeof last === 'string') parent.children[parent.children.length - 1] = last + content
    else parent.children.push(content)
  }
  parser.on('text', addText)
  parser.on('cdata', addText)
  parser.on('error', (error) => {
    throw new XmlSyntaxError(error.message)
  })
  parser.write(text).close()
  if (!root) throw new XmlSyntaxError('The document has no root element.')
  return root
}

export const childElements = (element: XmlElement): XmlElement[] =>
  element.children.filter((child): child is XmlElement => typeof child !== 'string')

export const firstChild = (element: XmlElement, name: string): XmlElement | undefined =>
  childElements(element).find((child) => child.name === name)

export const localName = (name: string): string => name.slice(name.indexOf(':') + 1)

export const prefixOf = (name: string): string => (name.includes(':') ? name.slice(0, name.indexOf(':')) : '')

/** The element's own text (not its descendants'), whitespace kept. */
export const ownText = (element: XmlElement): string =>
  element.children.filter((child): child is string => typeof child === 'string').join('')

const escapes: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' }
export const escapeXml = (text: string): string => text.replace(/[&<>"]/g, (c) => escapes[c] ?? c)
