import { memoryModel, MemoryNode, type MemoryModel } from './memory-model'

/**
 * The slice of the DOM this module reads, typed structurally so shared/ compiles without the DOM
 * library; a browser Document, jsdom or @xmldom/xmldom all fit.
 */
export type DomNodeLike = {
  readonly nodeType: number
  readonly nodeName: string
  readonly localName?: string | null
  readonly prefix?: string | null
  readonly nodeValue: string | null
  readonly childNodes: ArrayLike<DomNodeLike>
  readonly attributes?: ArrayLike<DomNodeLike> | null
}

const ELEMENT = 1
const TEXT = 3
const CDATA = 4
const DOCUMENT = 9

const nameOf = (node: DomNodeLike): [string, string] => {
  const qualified = node.nodeName
  const colon = qualified.indexOf(':')
  return colon < 0 ? ['', qualified] : [qualified.slice(0, colon), qualified.slice(colon + 1)]
}

/** Copies an element subtree; comments and processing instructions are dropped, CDATA is text. */
export const copyDomElement = (source: DomNodeLike): MemoryNode => {
  const [prefix, local] = nameOf(source)
  const node = new MemoryNode('element', local, prefix)
  const attributes = source.attributes ?? []
  for (let i = 0; i < attributes.length; i += 1) {
    const attribute = attributes[i]!
    const [attrPrefix, attrLocal] = nameOf(attribute)
    if (attrPrefix === 'xmlns' || (attrPrefix === '' && attrLocal === 'xmlns')) continue
    node.append(new MemoryNode('attribute', attrLocal, attrPrefix, attribute.nodeValue ?? ''))
  }
  for (let i = 0; i < source.childNodes.length; i += 1) {
    const child = source.childNodes[i]!
    if (child.nodeType === ELEMENT) node.append(copyDomElement(child))
    else if (child.nodeType === TEXT || child.nodeType === CDATA) {
      node.append(new MemoryNode('text', '', '', child.nodeValue ?? ''))
    }
  }
  return node
}

const elementChildren = (node: DomNodeLike): DomNodeLike[] =>
  Array.from(node.childNodes).filter((child) => child.nodeType === ELEMENT)

const findAll = (node: DomNodeLike, local: string, out: DomNodeLike[] = []): DomNodeLike[] => {
  for (const child of elementChildren(node)) {
    if (nameOf(child)[1] === local) out.push(child)
    findAll(child, local, out)
  }
  return out
}

const attribute = (node: DomNodeLike, name: string): string | null => {
  const attributes = node.attributes ?? []
  for (let i = 0; i < attributes.length; i += 1) {
    if (attributes[i]!.nodeName === name) return attributes[i]!.nodeValue
  }
  return null
}

/**
 * A model from an XForm document: the first <instance> is primary, the others are secondary by
 * id. Whitespace-only text between elements is dropped, as XForm parsers do for instance data.
 */
export const modelFromXForm = (
  document: DomNodeLike,
  options: { index?: boolean } = {},
): MemoryModel => {
  const start = document.nodeType === DOCUMENT ? document : { ...document, childNodes: [document] }
  const [primary, ...secondary] = findAll(start, 'instance')
  const primaryElement = primary === undefined ? undefined : elementChildren(primary)[0]
  if (primaryElement === undefined) throw new Error('The form has no primary instance')
  const instances: Record<string, MemoryNode> = {}
  for (const instance of secondary) {
    const id = attribute(instance, 'id')
    const root = elementChildren(instance)[0]
    if (id !== null && root !== undefined) instances[id] = dropBlankText(copyDomElement(root))
  }
  return memoryModel({
    primary: dropBlankText(copyDomElement(primaryElement)),
    instances,
    index: options.index === true,
  })
}

/** A model over one plain document: its document element is the primary instance. */
export const modelFromDocument = (document: DomNodeLike): MemoryModel => {
  const root = elementChildren(document)[0]
  if (root === undefined) throw new Error('The document has no element')
  return memoryModel({ primary: copyDomElement(root) })
}

const dropBlankText = (node: MemoryNode): MemoryNode => {
  const hasElements = node.children.some((child) => child.kind === 'element')
  if (hasElements) {
    const kept = node.children.filter((child) => child.kind !== 'text' || child.text.trim() !== '')
    node.children.length = 0
    node.children.push(...kept)
  }
  for (const child of node.children) if (child.kind === 'element') dropBlankText(child)
  return node
}
