import type { Axis, NodeTestAst } from './ast'
import { matchesName, type XNode } from './node-model'

export type NodeTest = (node: XNode) => boolean

/** Name tests select the axis's principal node type: attributes on attribute::, else elements. */
export const compileNodeTest = (test: NodeTestAst, axis: Axis): NodeTest => {
  switch (test.kind) {
    case 'node':
      return () => true
    case 'text':
      return (node) => node.kind === 'text'
    case 'comment':
    case 'processing-instruction':
      // The node model has no comments or processing instructions: instance data never needs them.
      return () => false
    case 'name': {
      const kind = axis === 'attribute' ? 'attribute' : 'element'
      return (node) => node.kind === kind && matchesName(node, test)
    }
  }
}

/** Reverse axes list nodes nearest first, so positions in predicates count backwards. */
export const isReverseAxis = (axis: Axis): boolean =>
  axis === 'ancestor' ||
  axis === 'ancestor-or-self' ||
  axis === 'preceding' ||
  axis === 'preceding-sibling'

const pushDescendants = (node: XNode, test: NodeTest, out: XNode[]): void => {
  for (const child of node.children) {
    if (test(child)) out.push(child)
    if (child.children.length > 0) pushDescendants(child, test, out)
  }
}

const siblings = (node: XNode, following: boolean, test: NodeTest, out: XNode[]): void => {
  const parent = node.parent
  if (parent === null || node.kind === 'attribute') return
  const all = parent.children
  const index = all.indexOf(node)
  if (following) {
    for (let i = index + 1; i < all.length; i += 1) if (test(all[i]!)) out.push(all[i]!)
  } else {
    for (let i = index - 1; i >= 0; i -= 1) if (test(all[i]!)) out.push(all[i]!)
  }
}

const ancestors = (node: XNode, includeSelf: boolean, test: NodeTest, out: XNode[]): void => {
  let current: XNode | null = includeSelf ? node : node.parent
  while (current !== null) {
    if (test(current)) out.push(current)
    current = current.parent
  }
}

/** following:: and preceding:: walk the whole tree; no ODK form needs them to be fast. */
const followingOrPreceding = (
  node: XNode,
  following: boolean,
  test: NodeTest,
  out: XNode[],
): void => {
  let root = node
  while (root.parent !== null) root = root.parent
  const all: XNode[] = []
  pushDescendants(root, () => true, all)
  const ancestorsOfNode = new Set<XNode>()
  for (let a: XNode | null = node; a !== null; a = a.parent) ancestorsOfNode.add(a)
  const anchor = node.kind === 'attribute' && node.parent !== null ? node.parent : node
  const selected = all.filter((candidate) =>
    following
      ? candidate.order > anchor.order && !isInside(candidate, anchor)
      : candidate.order < anchor.order && !ancestorsOfNode.has(candidate),
  )
  for (const candidate of following ? selected : selected.reverse())
    if (test(candidate)) out.push(candidate)
}

const isInside = (candidate: XNode, ancestor: XNode): boolean => {
  for (let a = candidate.parent; a !== null; a = a.parent) if (a === ancestor) return true
  return false
}

/** Appends the nodes on `axis` from `node` that pass `test`, in axis order. */
export const walkAxis = (axis: Axis, node: XNode, test: NodeTest, out: XNode[]): void => {
  switch (axis) {
    case 'child':
      for (const child of node.children) if (test(child)) out.push(child)
      return
    case 'attribute':
      for (const attribute of node.attributes) if (test(attribute)) out.push(attribute)
      return
    case 'self':
      if (test(node)) out.push(node)
      return
    case 'parent':
      if (node.parent !== null && test(node.parent)) out.push(node.parent)
      return
    case 'descendant':
      pushDescendants(node, test, out)
      return
    case 'descendant-or-self':
      if (test(node)) out.push(node)
      pushDescendants(node, test, out)
      return
    case 'ancestor':
    case 'ancestor-or-self':
      ancestors(node, axis === 'ancestor-or-self', test, out)
      return
    case 'following-sibling':
    case 'preceding-sibling':
      siblings(node, axis === 'following-sibling', test, out)
      return
    case 'following':
    case 'preceding':
      followingOrPreceding(node, axis === 'following', test, out)
      return
    case 'namespace':
      return
  }
}
