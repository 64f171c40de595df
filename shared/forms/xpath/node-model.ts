/**
 * The tree the XPath engine walks. The form runtime implements it over its own instance nodes;
 * memory-model.ts and dom-model.ts build it from plain objects or a DOM for tests and tools.
 *
 * Instance data in ODK forms is unprefixed, so element and attribute names are compared by
 * `prefix:localName` text (prefix '' when absent) rather than by namespace URI: that is how ODK
 * authors write paths (`/data/meta/instanceID`, `@jr:template`), and it keeps lookups to one
 * string comparison.
 */
export type XNodeKind = 'root' | 'element' | 'attribute' | 'text'

export type XNode = {
  readonly kind: XNodeKind
  /** Local name for elements and attributes, '' for root and text nodes. */
  readonly localName: string
  /** Namespace prefix as written in the source ('' when unprefixed). */
  readonly prefix: string
  readonly parent: XNode | null
  /** Element and text children in document order (empty for attributes and text). */
  readonly children: readonly XNode[]
  readonly attributes: readonly XNode[]
  /**
   * Document-order key: larger means later in the document. Keys must be distinct across every
   * tree one NodeModel exposes (give each instance its own range); the runtime may renumber
   * after inserting repeat instances.
   */
  readonly order: number
  /** XPath string-value: the text of a text or attribute node, the concatenated text below. */
  stringValue(): string
  /**
   * Optional: the element children with this local name, in document order, from an index the
   * model keeps (a child step then skips scanning a parent of a thousand questions).
   */
  childrenNamed?(localName: string): readonly XNode[]
}

/** A name test as it appears in a step: `prefix:local`, `*`, or `prefix:*`. */
export type NameTest = {
  readonly prefix: string
  /** '*' matches any local name. */
  readonly localName: string
}

/**
 * Answers `parents/step[child = value]` from an index. Returning undefined means the model has
 * no index for this shape, and the engine scans instead.
 */
export type ChildrenWhere = (
  parents: readonly XNode[],
  step: NameTest,
  child: NameTest,
  value: string,
) => readonly XNode[] | undefined

/** What the engine needs from the runtime's instances. */
export type NodeModel = {
  /** The root (document) node of the primary instance; absolute paths start here. */
  readonly primaryRoot: XNode
  /** The root node of a secondary instance, or null when the form has none by that id. */
  instance(id: string): XNode | null
  readonly childrenWhere?: ChildrenWhere
}

export const qualifiedName = (node: XNode): string =>
  node.prefix === '' ? node.localName : `${node.prefix}:${node.localName}`

export const matchesName = (node: XNode, test: NameTest): boolean => {
  if (test.localName === '*') return test.prefix === '' || node.prefix === test.prefix
  return node.localName === test.localName && node.prefix === test.prefix
}

export const compareOrder = (a: XNode, b: XNode): number => a.order - b.order
