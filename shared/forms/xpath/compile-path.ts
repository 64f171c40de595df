import { dependsOnContext, simpleChildName } from './analysis'
import type { ExprAst, StepAst } from './ast'
import { compileNodeTest, isReverseAxis, walkAxis, type NodeTest } from './axes'
import type { Evaluator, Frame } from './context'
import { XPathEvaluationError } from './errors'
import { matchesName, type NameTest, type XNode } from './node-model'
import {
  DateValue,
  isNodeSet,
  stringToNumber,
  toBooleanValue,
  type NodeSet,
  type XPathValue,
} from './values'

export type CompileExpr = (ast: ExprAst) => Evaluator
type StepRunner = (input: NodeSet, frame: Frame) => NodeSet

/** Document order without duplicates; most steps already produce it, so check before sorting. */
export const sortUnique = (nodes: readonly XNode[]): readonly XNode[] => {
  let sorted = true
  for (let i = 1; i < nodes.length; i += 1) {
    if (nodes[i - 1]!.order >= nodes[i]!.order) {
      sorted = false
      break
    }
  }
  if (sorted) return nodes
  return [...new Set(nodes)].sort((a, b) => a.order - b.order)
}

type Predicate = { readonly evaluate: Evaluator; readonly literal: number | null }

const compilePredicate = (ast: ExprAst, compile: CompileExpr): Predicate => ({
  evaluate: compile(ast),
  literal: ast.type === 'number' ? ast.value : null,
})

/** Keeps the candidates a predicate accepts; a number means "the one at this position". */
export const applyPredicate = (
  candidates: readonly XNode[],
  predicate: Predicate,
  frame: Frame,
): readonly XNode[] => {
  if (predicate.literal !== null) {
    const picked = candidates[predicate.literal - 1]
    return picked === undefined || !Number.isInteger(predicate.literal) ? [] : [picked]
  }
  const size = candidates.length
  const out: XNode[] = []
  for (let i = 0; i < size; i += 1) {
    const node = candidates[i]!
    const value = predicate.evaluate({ node, position: i + 1, size, env: frame.env })
    if (typeof value === 'number' ? value === i + 1 : toBooleanValue(value)) out.push(node)
  }
  return out
}

const applyPredicates = (
  candidates: readonly XNode[],
  predicates: readonly Predicate[],
  frame: Frame,
): readonly XNode[] => {
  let current = candidates
  for (const predicate of predicates) {
    if (current.length === 0) return current
    current = applyPredicate(current, predicate, frame)
  }
  return current
}

/** `[child = value]` where value does not depend on the candidate: evaluated once per step. */
type KeyedPredicate = { readonly child: NameTest; readonly value: Evaluator }

const keyedPredicate = (ast: ExprAst, compile: CompileExpr): KeyedPredicate | null => {
  if (ast.type !== 'binary' || ast.op !== '=') return null
  const leftName = simpleChildName(ast.left)
  if (leftName !== null && !dependsOnContext(ast.right))
    return { child: leftName, value: compile(ast.right) }
  const rightName = simpleChildName(ast.right)
  if (rightName !== null && !dependsOnContext(ast.left))
    return { child: rightName, value: compile(ast.left) }
  return null
}

/** How a child's text is tested against the key; null when only the general rules will do. */
const keyMatcher = (key: XPathValue, frame: Frame): ((text: string) => boolean) | null => {
  if (typeof key === 'string') return (text) => text === key
  if (typeof key === 'number' || key instanceof DateValue) {
    const n = typeof key === 'number' ? key : key.days
    return (text) => stringToNumber(text, frame.env.zone) === n
  }
  if (isNodeSet(key)) {
    const texts = new Set(key.map((node) => node.stringValue()))
    return (text) => texts.has(text)
  }
  return null
}

const scanKeyed = (
  parents: NodeSet,
  test: NodeTest,
  child: NameTest,
  match: (text: string) => boolean,
): XNode[] => {
  const out: XNode[] = []
  for (const parent of parents) {
    for (const candidate of parent.children) {
      if (!test(candidate)) continue
      for (const field of candidate.children) {
        if (field.kind === 'element' && matchesName(field, child) && match(field.stringValue())) {
          out.push(candidate)
          break
        }
      }
    }
  }
  return out
}

const groupByParent = (nodes: readonly XNode[]): XNode[][] => {
  const groups = new Map<XNode | null, XNode[]>()
  for (const node of nodes) {
    const group = groups.get(node.parent)
    if (group === undefined) groups.set(node.parent, [node])
    else group.push(node)
  }
  return [...groups.values()]
}

const keyedStep = (
  step: StepAst,
  keyed: KeyedPredicate,
  rest: readonly Predicate[],
  fallback: StepRunner,
): StepRunner | null => {
  if (step.axis !== 'child' || step.test.kind !== 'name') return null
  const test = compileNodeTest(step.test, step.axis)
  const stepName: NameTest = { prefix: step.test.prefix, localName: step.test.localName }
  return (input, frame) => {
    const key = keyed.value(frame)
    const match = keyMatcher(key, frame)
    if (match === null) return fallback(input, frame)
    const single =
      typeof key === 'string'
        ? key
        : isNodeSet(key) && key.length === 1
          ? key[0]!.stringValue()
          : null
    const indexed =
      single === null
        ? undefined
        : frame.env.model.childrenWhere?.(input, stepName, keyed.child, single)
    const hits = indexed ?? scanKeyed(input, test, keyed.child, match)
    if (rest.length === 0) return input.length > 1 ? sortUnique(hits) : hits
    const out = groupByParent(hits).flatMap((group) => applyPredicates(group, rest, frame))
    return sortUnique(out)
  }
}

const generalStep = (
  step: StepAst,
  test: NodeTest,
  predicates: readonly Predicate[],
): StepRunner => {
  const { axis } = step
  const needsSort =
    isReverseAxis(axis) || (axis !== 'child' && axis !== 'attribute' && axis !== 'self')
  // child::name through the model's index of children by name, when it keeps one.
  const named = axis === 'child' && step.test.kind === 'name' && step.test.localName !== '*' ? step.test.localName : null
  const walk = (node: XNode, out: XNode[]) => {
    const byName = named === null ? undefined : node.childrenNamed?.(named)
    if (byName === undefined) walkAxis(axis, node, test, out)
    else for (const child of byName) if (test(child)) out.push(child)
  }
  return (input, frame) => {
    const out: XNode[] = []
    for (const node of input) {
      if (predicates.length === 0) {
        walk(node, out)
        continue
      }
      const candidates: XNode[] = []
      walk(node, candidates)
      for (const kept of applyPredicates(candidates, predicates, frame)) out.push(kept)
    }
    return input.length > 1 || needsSort ? sortUnique(out) : out
  }
}

const compileStep = (step: StepAst, compile: CompileExpr): StepRunner => {
  const predicates = step.predicates.map((p) => compilePredicate(p, compile))
  const general = generalStep(step, compileNodeTest(step.test, step.axis), predicates)
  const first = step.predicates[0]
  const keyed = first === undefined ? null : keyedPredicate(first, compile)
  if (keyed === null) return general
  return keyedStep(step, keyed, predicates.slice(1), general) ?? general
}

export const notNodeSetError = (what: string): Error =>
  new XPathEvaluationError(
    `${what} needs a list of nodes (a path), but the expression gives a single value`,
  )

export const compileFilter = (
  primary: Evaluator,
  predicateAsts: readonly ExprAst[],
  compile: CompileExpr,
): Evaluator => {
  const predicates = predicateAsts.map((p) => compilePredicate(p, compile))
  return (frame) => {
    const value = primary(frame)
    if (!isNodeSet(value)) throw notNodeSetError('A filter [ ]')
    return applyPredicates(value, predicates, frame)
  }
}

export const compilePath = (
  start: 'root' | 'context' | ExprAst,
  steps: readonly StepAst[],
  compile: CompileExpr,
): Evaluator => {
  const runners = steps.map((step) => compileStep(step, compile))
  const origin: (frame: Frame) => NodeSet =
    start === 'root'
      ? (frame) => [frame.env.model.primaryRoot]
      : start === 'context'
        ? (frame) => [frame.node]
        : startFrom(compile(start))
  return (frame) => {
    let nodes = origin(frame)
    for (const run of runners) {
      if (nodes.length === 0) return nodes
      nodes = run(nodes, frame)
    }
    return nodes
  }
}

const startFrom =
  (evaluate: Evaluator) =>
  (frame: Frame): NodeSet => {
    const value = evaluate(frame)
    if (!isNodeSet(value)) throw notNodeSetError('A path step "/"')
    return value
  }
