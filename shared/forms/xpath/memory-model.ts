import { indexedChildrenWhere } from './children-index'
import type { NodeModel, XNode, XNodeKind } from './node-model'

/**
 * A plain in-memory tree: enough for tests, tools and the benchmark. Text and attribute values
 * are mutable through `setText` so tests can play answers.
 */
export class MemoryNode implements XNode {
  readonly children: MemoryNode[] = []
  readonly attributes: MemoryNode[] = []
  parent: MemoryNode | null = null
  order = 0

  constructor(
    readonly kind: XNodeKind,
    readonly localName: string,
    readonly prefix: string,
    public text = '',
  ) {}

  stringValue(): string {
    if (this.kind === 'text' || this.kind === 'attribute') return this.text
    const only = this.children.length === 1 ? this.children[0] : undefined
    if (only !== undefined && only.kind === 'text') return only.text
    let out = ''
    for (const child of this.children) out += child.stringValue()
    return out
  }

  /** Replaces an element's content with one text node (or none for ''); sets an attribute's value. */
  setText(value: string): void {
    if (this.kind !== 'element') {
      this.text = value
      return
    }
    const existing = this.children.length === 1 ? this.children[0] : undefined
    if (existing !== undefined && existing.kind === 'text' && value !== '') {
      existing.text = value
      return
    }
    this.children.length = 0
    if (value !== '') this.append(new MemoryNode('text', '', '', value))
  }

  append(child: MemoryNode): MemoryNode {
    child.parent = this
    if (child.kind === 'attribute') this.attributes.push(child)
    else this.children.push(child)
    return child
  }
}

export type ElementSpec = {
  readonly name: string
  readonly attributes?: Readonly<Record<string, string>>
  /** Element specs and text, in order; a plain string is shorthand for one text child. */
  readonly children?: readonly (ElementSpec | string)[] | string
}

const splitName = (name: string): [prefix: string, local: string] => {
  const colon = name.indexOf(':')
  return colon < 0 ? ['', name] : [name.slice(0, colon), name.slice(colon + 1)]
}

export const element = (spec: ElementSpec): MemoryNode => {
  const node = new MemoryNode('element', splitName(spec.name)[1], splitName(spec.name)[0])
  for (const [name, value] of Object.entries(spec.attributes ?? {})) {
    const [prefix, local] = splitName(name)
    node.append(new MemoryNode('attribute', local, prefix, value))
  }
  const children = typeof spec.children === 'string' ? [spec.children] : (spec.children ?? [])
  for (const child of children) {
    node.append(typeof child === 'string' ? new MemoryNode('text', '', '', child) : element(child))
  }
  return node
}

/** Document order keys: element, then its attributes, then its children, depth first. */
export const numberTree = (root: MemoryNode, start: number): number => {
  let next = start
  const visit = (node: MemoryNode): void => {
    node.order = next++
    for (const attribute of node.attributes) attribute.order = next++
    for (const child of node.children) visit(child)
  }
  visit(root)
  return next
}

export const documentOf = (documentElement: MemoryNode): MemoryNode => {
  const root = new MemoryNode('root', '', '')
  root.append(documentElement)
  return root
}

export type MemoryModelOptions = {
  readonly primary: MemoryNode
  readonly instances?: Readonly<Record<string, MemoryNode>>
  /** Answer `[child = value]` predicates from a lazily built index (secondary instances only). */
  readonly index?: boolean
}

export type MemoryModel = NodeModel & { readonly primaryRoot: MemoryNode; renumber(): void }

/** Trees are given as document elements; each gets a root node and its own range of order keys. */
export const memoryModel = (options: MemoryModelOptions): MemoryModel => {
  const primaryRoot = documentOf(options.primary)
  const instances = new Map(
    Object.entries(options.instances ?? {}).map(([id, el]) => [id, documentOf(el)]),
  )
  const renumber = (): void => {
    let next = numberTree(primaryRoot, 0)
    for (const root of instances.values()) next = numberTree(root, next)
  }
  renumber()
  const secondaryRoots = new Set<XNode>(instances.values())
  return {
    primaryRoot,
    instance: (id) => instances.get(id) ?? null,
    renumber,
    ...(options.index === true
      ? { childrenWhere: indexedChildrenWhere((node) => secondaryRoots.has(rootOf(node))) }
      : {}),
  }
}

const rootOf = (node: XNode): XNode => {
  let current = node
  while (current.parent !== null) current = current.parent
  return current
}
