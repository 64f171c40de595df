import { scanXml, XmlSyntaxError, type RawXml } from './xml-scan'

export { XmlSyntaxError, type RawXml }

/** A parsed XML element: qualified name as written, attributes, children in document order. */
export type XmlElement = {
  name: string
  attrs: Record<string, string>
  children: XmlChild[]
  /** Content kept unparsed when the reader asked for it (children are then empty). */
  raw?: RawXml
}
export type XmlChild = XmlElement | string

/**
 * Parses XML into a light tree. Namespace prefixes are kept as written (`h:title`, `jr:itext`):
 * XForms are read by their conventional prefixes, and instance data is unprefixed.
 */
export function parseXml(text: string, rawContent?: (element: XmlElement, parent: XmlElement | undefined) => boolean): XmlElement {
  return scanXml(text, rawContent)
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
