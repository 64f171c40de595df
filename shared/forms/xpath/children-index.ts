import { matchesName, type ChildrenWhere, type NameTest, type XNode } from './node-model'

type ValueIndex = Map<string, XNode[]>

const keyOf = (step: NameTest, child: NameTest): string =>
  `${step.prefix}:${step.localName}/${child.prefix}:${child.localName}`

const buildIndex = (parent: XNode, step: NameTest, child: NameTest): ValueIndex => {
  const index: ValueIndex = new Map()
  for (const candidate of parent.children) {
    if (candidate.kind !== 'element' || !matchesName(candidate, step)) continue
    // A candidate with two equal key children must appear once (the usual one key needs no set).
    let first: string | undefined
    let seen: Set<string> | undefined
    for (const field of candidate.children) {
      if (field.kind !== 'element' || !matchesName(field, child)) continue
      const value = field.stringValue()
      if (first === undefined) first = value
      else {
        seen ??= new Set([first])
        if (seen.has(value)) continue
        seen.add(value)
      }
      const list = index.get(value)
      if (list === undefined) index.set(value, [candidate])
      else list.push(candidate)
    }
  }
  return index
}

/**
 * A ChildrenWhere over trees that never change (secondary instances: choice lists, CSV
 * attachments). Each (parent, step, child) index is built on first use and kept; `covers` says
 * which parents are static, the rest are scanned by the engine.
 */
export const indexedChildrenWhere = (covers: (parent: XNode) => boolean): ChildrenWhere => {
  const indexes = new WeakMap<XNode, Map<string, ValueIndex>>()
  return (parents, step, child, value) => {
    if (!parents.every(covers)) return undefined
    const out: XNode[] = []
    for (const parent of parents) {
      let byKey = indexes.get(parent)
      if (byKey === undefined) {
        byKey = new Map()
        indexes.set(parent, byKey)
      }
      const key = keyOf(step, child)
      let index = byKey.get(key)
      if (index === undefined) {
        index = buildIndex(parent, step, child)
        byKey.set(key, index)
      }
      const hits = index.get(value)
      if (hits !== undefined) for (const hit of hits) out.push(hit)
    }
    return out
  }
}
