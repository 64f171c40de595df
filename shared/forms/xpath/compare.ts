import type { Env } from './context'
import type { XNode } from './node-model'
import {
  DateValue,
  isNodeSet,
  stringToNumber,
  toBooleanValue,
  toNumberValue,
  toStringValue,
  type XPathValue,
} from './values'

export type ComparisonOp = '=' | '!=' | '<' | '<=' | '>' | '>='

const compareNumbers = (op: ComparisonOp, a: number, b: number): boolean => {
  switch (op) {
    case '=':
      return a === b
    case '!=':
      return a !== b
    case '<':
      return a < b
    case '<=':
      return a <= b
    case '>':
      return a > b
    case '>=':
      return a >= b
  }
}

const isEquality = (op: ComparisonOp): boolean => op === '=' || op === '!='

/** Dates count as numbers in comparisons, as in ODK. */
const isNumeric = (value: XPathValue): boolean =>
  typeof value === 'number' || value instanceof DateValue

/** XPath 1.0 section 3.4 for two values neither of which is a node-set. */
const comparePrimitives = (op: ComparisonOp, a: XPathValue, b: XPathValue, env: Env): boolean => {
  if (!isEquality(op))
    return compareNumbers(op, toNumberValue(a, env.zone), toNumberValue(b, env.zone))
  if (typeof a === 'boolean' || typeof b === 'boolean') {
    return (toBooleanValue(a) === toBooleanValue(b)) === (op === '=')
  }
  if (isNumeric(a) || isNumeric(b)) {
    return compareNumbers(op, toNumberValue(a, env.zone), toNumberValue(b, env.zone))
  }
  return (toStringValue(a) === toStringValue(b)) === (op === '=')
}

const nodeNumber = (node: XNode, env: Env): number => stringToNumber(node.stringValue(), env.zone)

/** A node-set against a number, string or date: true when some node satisfies it. */
const compareNodesWithValue = (
  op: ComparisonOp,
  nodes: readonly XNode[],
  value: XPathValue,
  env: Env,
  flipped: boolean,
): boolean => {
  if (isNumeric(value) || !isEquality(op)) {
    const n = toNumberValue(value, env.zone)
    return nodes.some((node) =>
      flipped
        ? compareNumbers(op, n, nodeNumber(node, env))
        : compareNumbers(op, nodeNumber(node, env), n),
    )
  }
  const text = toStringValue(value)
  return nodes.some((node) => (node.stringValue() === text) === (op === '='))
}

const compareNodeSets = (
  op: ComparisonOp,
  a: readonly XNode[],
  b: readonly XNode[],
  env: Env,
): boolean => {
  if (isEquality(op)) {
    const right = b.map((node) => node.stringValue())
    return a.some((node) => {
      const text = node.stringValue()
      return right.some((other) => (text === other) === (op === '='))
    })
  }
  const right = b.map((node) => nodeNumber(node, env))
  return a.some((node) => {
    const n = nodeNumber(node, env)
    return right.some((other) => compareNumbers(op, n, other))
  })
}

export const compareValues = (
  op: ComparisonOp,
  a: XPathValue,
  b: XPathValue,
  env: Env,
): boolean => {
  if (isNodeSet(a)) {
    if (isNodeSet(b)) return compareNodeSets(op, a, b, env)
    if (typeof b === 'boolean') return comparePrimitives(op, a.length > 0, b, env)
    return compareNodesWithValue(op, a, b, env, false)
  }
  if (isNodeSet(b)) {
    if (typeof a === 'boolean') return comparePrimitives(op, a, b.length > 0, env)
    return compareNodesWithValue(op, b, a, env, true)
  }
  return comparePrimitives(op, a, b, env)
}
