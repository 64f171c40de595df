import type { XNode, XNodeKind } from '../xpath/node-model'
import { childElements, localName, ownText, prefixOf, type RawXml, type XmlElement } from './xml'
import { readXml } from './xml-scan'

/**
 * One tree (primary or secondary instance) and its document-order numbering. Orders are
 * renumbered lazily after structural changes (repeat instances added or removed).
 */
export class InstanceDoc {
  readonly root: InstanceNode
  private dirty = true

  constructor(readonly base: number) {
    this.root = new InstanceNode(this, 'root', '', '', null)
  }

  /** Bumped on every structural change: children-by-name indexes built before it are stale. */
  version = 0

  touch(): void {
    this.dirty = true
    this.version++
  }

  ensureOrder(): void {
    if (!this.dirty) return
    this.dirty = false
    let next = this.base
    const visit = (node: InstanceNode) => {
      node.setOrder(next++)
      for (const attribute of node.attributes) attribute.setOrder(next++)
      for (const child of node.children) visit(child)
    }
    visit(this.root)
  }
}

/** An instance node the XPath engine reads directly; leaves and attributes hold their value. */
export class InstanceNode implements XNode {
  value = ''
  /** Whether this node's own relevance holds (the engine keeps it; ancestors count too). */
  relevantSelf = true
  /** Set on repeat instances so their key always carries a position. */
  isRepeatLike = false
  private orderKey = 0
  private pathCache: string | undefined

  constructor(
    readonly doc: InstanceDoc,
    readonly kind: XNodeKind,
    readonly localName: string,
    readonly prefix: string,
    public parent: InstanceNode | null,
    public children: InstanceNode[] = [],
    public attributes: InstanceNode[] = [],
  ) {}

  get order(): number {
    this.doc.ensureOrder()
    return this.orderKey
  }

  setOrder(order: number): void {
    this.orderKey = order
  }

  get name(): string {
    return this.prefix ? `${this.prefix}:${this.localName}` : this.localName
  }

  /** Path without positions, shared by every repeat instance: /data/household/member/age. */
  get path(): string {
    if (this.pathCache === undefined) {
      const parentPath = this.parent && this.parent.kind !== 'root' ? this.parent.path : ''
      this.pathCache = this.kind === 'attribute' ? `${parentPath}/@${this.name}` : `${parentPath}/${this.name}`
    }
    return this.pathCache
  }

  get isLeaf(): boolean {
    return this.kind === 'attribute' || (this.kind === 'element' && this.children.length === 0)
  }

  /**
   * The value as expressions read it: a question that is not relevant (itself or through a group)
   * reads as empty, as in JavaRosa (XPathPathExpr.getRefValue), while its answer is kept.
   */
  stringValue(): string {
    if (this.isLeaf) return this.value === '' || this.inRelevantTree() ? this.value : ''
    return this.children.map((child) => child.stringValue()).join('')
  }

  inRelevantTree(): boolean {
    if (!this.relevantSelf) return false
    for (let at = this.parent; at; at = at.parent) if (!at.relevantSelf) return false
    return true
  }

  private byName: Map<string, InstanceNode[]> | undefined
  private byNameVersion = -1

  /** Element children with this local name, from an index rebuilt after structural changes. */
  childrenNamed(localName: string): readonly InstanceNode[] {
    if (this.byName === undefined || this.byNameVersion !== this.doc.version) {
      const index = new Map<string, InstanceNode[]>()
      for (const child of this.children) {
        const list = index.get(child.localName)
        if (list) list.push(child)
        else index.set(child.localName, [child])
      }
      this.byName = index
      this.byNameVersion = this.doc.version
    }
    return this.byName.get(localName) ?? []
  }

  attribute(name: string): InstanceNode | undefined {
    return this.attributes.find((a) => a.name === name)
  }

  /** 1-based position among siblings of the same name (a repeat instance's index). */
  get position(): number {
    if (!this.parent) return 1
    return this.parent.children.filter((c) => c.name === this.name).indexOf(this) + 1
  }

  /** Path with positions, unique per node: /data/member[2]/age. Used as a stable key by the UI. */
  get key(): string {
    if (!this.parent || this.parent.kind === 'root') return `/${this.name}`
    const siblings = this.parent.children.filter((c) => c.name === this.name)
    const suffix = siblings.length > 1 || this.isRepeatLike ? `[${this.position}]` : ''
    return `${this.parent.key}/${this.name}${suffix}`
  }


  *descendants(): Generator<InstanceNode> {
    for (const child of this.children) {
      yield child
      yield* child.descendants()
    }
  }
}

/** Builds an instance subtree from XML under `parent`; returns the new element node. */
export function buildElement(doc: InstanceDoc, element: XmlElement, parent: InstanceNode, skipTemplates: boolean): InstanceNode {
  const node = new InstanceNode(doc, 'element', localName(element.name), prefixOf(element.name), parent)
  for (const [name, value] of Object.entries(element.attrs)) {
    if (name === 'xmlns' || name.startsWith('xmlns:')) continue
    const attribute = new InstanceNode(doc, 'attribute', localName(name), prefixOf(name), node)
    attribute.value = value
    node.attributes.push(attribute)
  }
  const children = childElements(element).filter((child) => !(skipTemplates && child.attrs['jr:template'] !== undefined))
  for (const child of children) node.children.push(buildElement(doc, child, node, skipTemplates))
  if (node.children.length === 0) node.value = ownText(element).trim()
  return node
}

export function buildInstance(element: XmlElement, base: number, skipTemplates: boolean): InstanceDoc {
  const doc = new InstanceDoc(base)
  doc.root.children.push(buildElement(doc, element, doc.root, skipTemplates))
  return doc
}

/**
 * Builds a secondary instance straight from its unparsed XML (the content of its <instance>),
 * with no element tree in between: the same nodes as buildInstance over the parsed element, at a
 * fraction of the time and garbage on a 20,000-choice list. Undefined when it holds no element.
 */
const NO_NODES: InstanceNode[] = Object.freeze([]) as unknown as InstanceNode[]

export function buildInstanceFromRaw(raw: RawXml, base: number): InstanceDoc | undefined {
  const doc = new InstanceDoc(base)
  const stack: InstanceNode[] = []
  // The text of the innermost open element while it has no child: a leaf's value.
  let pending = ''
  readXml(raw.text, raw.start, raw.end, {
    // Unparsed content has no comments, CDATA or instructions, so a leaf's text is one run and
    // whitespace-only text between elements can be passed over.
    skipsBlankText: true,
    open(name, attrs) {
      const parent = stack[stack.length - 1] ?? doc.root
      // A secondary instance never changes: nodes without children or attributes share one
      // frozen empty list instead of two arrays each.
      const node = new InstanceNode(doc, 'element', localName(name), prefixOf(name), parent, NO_NODES, NO_NODES)
      for (const key in attrs) {
        if (key === 'xmlns' || key.startsWith('xmlns:')) continue
        const attribute = new InstanceNode(doc, 'attribute', localName(key), prefixOf(key), node, NO_NODES, NO_NODES)
        attribute.value = attrs[key] as string
        if (node.attributes === NO_NODES) node.attributes = []
        node.attributes.push(attribute)
      }
      if (parent.children === NO_NODES) parent.children = []
      parent.children.push(node)
      stack.push(node)
      pending = ''
      return undefined
    },
    text(content) {
      // Only a leaf keeps its text (buildElement's ownText); an element's whitespace is dropped.
      const top = stack[stack.length - 1] as InstanceNode
      if (top.children.length === 0) pending += content
    },
    close() {
      const node = stack.pop() as InstanceNode
      if (node.children.length === 0) node.value = pending.trim()
      pending = ''
    },
  })
  return doc.root.children.length > 0 ? doc : undefined
}
