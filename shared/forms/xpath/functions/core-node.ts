import { XPathEvaluationError } from '../errors'
import { qualifiedName, type XNode } from '../node-model'
import { toBooleanValue } from '../values'
import { argBoolean, argNodes, argNumber, argString, fn, type FunctionTable } from './helpers'

const firstNode = (nodes: readonly XNode[]): XNode | undefined => nodes[0]

const isInside = (node: XNode, ancestor: XNode): boolean => {
  for (let a = node.parent; a !== null; a = a.parent) if (a === ancestor) return true
  return false
}

const lang = (node: XNode, wanted: string): boolean => {
  for (let n: XNode | null = node; n !== null; n = n.parent) {
    const attribute = n.attributes.find((a) => a.prefix === 'xml' && a.localName === 'lang')
    if (attribute !== undefined) {
      const value = attribute.stringValue().toLowerCase()
      const target = wanted.toLowerCase()
      return value === target || value.startsWith(`${target}-`)
    }
  }
  return false
}

/** Among contiguous preceding siblings of the same name: the repeat instance's 1-based index. */
const positionOf = (node: XNode): number => {
  const siblings = node.parent?.children ?? [node]
  let index = siblings.indexOf(node)
  const name = qualifiedName(node)
  let position = 1
  while (index > 0) {
    index -= 1
    const previous = siblings[index]!
    if (previous.kind === 'text') continue
    if (qualifiedName(previous) !== name) break
    position += 1
  }
  return position
}

export const nodeFunctions: FunctionTable = {
  boolean: fn(1, 1, (args, f) => argBoolean(args, 0, f)),
  not: fn(1, 1, (args, f) => !argBoolean(args, 0, f)),
  true: fn(0, 0, () => true),
  false: fn(0, 0, () => false),
  lang: fn(1, 1, (args, f) => lang(f.node, argString(args, 0, f))),
  // JavaRosa compares 'true' ignoring case.
  'boolean-from-string': fn(1, 1, (args, f) => {
    const text = argString(args, 0, f)
    return text.toLowerCase() === 'true' || text === '1'
  }),
  count: fn(1, 1, (args, f) => argNodes(args, 0, f, 'count').length),
  'count-non-empty': fn(
    1,
    1,
    (args, f) =>
      argNodes(args, 0, f, 'count-non-empty').filter((node) => node.stringValue() !== '').length,
  ),
  last: fn(0, 0, (_args, f) => f.size),
  position: fn(0, 1, (args, f) => {
    // Without a context position (a bind, not a predicate) JavaRosa gives the node's repeat index.
    if (args.length === 0) return f.position > 0 ? f.position : positionOf(f.node)
    const node = firstNode(argNodes(args, 0, f, 'position'))
    return node === undefined ? NaN : positionOf(node)
  }),
  name: fn(0, 1, (args, f) => {
    const node = firstNode(argNodes(args, 0, f, 'name'))
    return node === undefined ? '' : qualifiedName(node)
  }),
  'local-name': fn(
    0,
    1,
    (args, f) => firstNode(argNodes(args, 0, f, 'local-name'))?.localName ?? '',
  ),
  // Instance data carries prefixes, not namespace URIs (see node-model.ts).
  'namespace-uri': fn(0, 1, () => ''),
  current: fn(0, 0, (_args, f) => [f.env.current]),
  instance: fn(1, 1, (args, f) => {
    const root = f.env.model.instance(argString(args, 0, f))
    return root === null ? [] : [root]
  }),
  if: fn(3, 3, (args, f) => (argBoolean(args, 0, f) ? args[1]! : args[2]!)(f)),
  once: fn(1, 1, (args, f) => {
    const existing = f.node.stringValue()
    return existing !== '' ? existing : argString(args, 0, f)
  }),
  checklist: fn(2, Infinity, (args, f) => {
    let count = 0
    for (let i = 2; i < args.length; i += 1) if (toBooleanValue(args[i]!(f))) count += 1
    const min = Math.trunc(argNumber(args, 0, f))
    const max = Math.trunc(argNumber(args, 1, f))
    // -1 (any negative) means "no bound" for checklist() only.
    return (min < 0 || count >= min) && (max < 0 || count <= max)
  }),
  'weighted-checklist': fn(2, Infinity, (args, f) => {
    if (args.length % 2 !== 0) {
      throw new XPathEvaluationError('weighted-checklist() needs a weight after every value')
    }
    let total = 0
    for (let i = 2; i < args.length; i += 2) {
      if (toBooleanValue(args[i]!(f))) total += argNumber(args, i + 1, f)
    }
    return total >= argNumber(args, 0, f) && total <= argNumber(args, 1, f)
  }),
  'indexed-repeat': fn(3, Infinity, (args, f) => {
    if (args.length % 2 === 0) {
      throw new XPathEvaluationError('indexed-repeat() needs a position after every repeat')
    }
    let scope: XNode | null = null
    for (let i = 1; i < args.length; i += 2) {
      // JavaRosa reads positions below 1 (a repeat being added, a blank answer) as 1.
      const index = Math.max(1, Math.trunc(argNumber(args, i + 1, f)) || 1)
      const repeats = argNodes(args, i, f, 'indexed-repeat').filter(
        (r) => scope === null || isInside(r, scope),
      )
      const chosen: XNode | undefined = repeats[index - 1]
      if (chosen === undefined) return []
      scope = chosen
    }
    const within = scope
    return argNodes(args, 0, f, 'indexed-repeat').filter(
      (node) => within === null || isInside(node, within),
    )
  }),
}
