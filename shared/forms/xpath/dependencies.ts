import { CONTEXT_READERS } from './analysis'
import type { ExprAst, StepAst } from './ast'
import type { CompiledXPath } from './compile'
import { parseXPath } from './parser'

/** Segments below the primary root (`['data', 'age']`), or an instance's (`instance('x')`, ...). */
type Segments = readonly string[]

type Walk = {
  readonly out: Set<string>
  /** The path current() stands for: the bind's own node. */
  readonly current: Segments
  readonly includeInstances: boolean
}

const render = (segments: Segments): string => {
  const [first, ...rest] = segments
  if (first?.startsWith('instance(') === true) return [first, ...rest].join('/')
  return `/${segments.join('/')}`.replace(/\/\/\/+/g, '//')
}

const record = (walk: Walk, segments: Segments | null): void => {
  if (segments === null) return
  if (!walk.includeInstances && segments[0]?.startsWith('instance(') === true) return
  walk.out.add(render(segments))
}

/** One step from a known path; null once the path can no longer be written down. */
const stepFrom = (base: Segments, step: StepAst): Segments | null => {
  const name =
    step.test.kind === 'name'
      ? `${step.test.prefix === '' ? '' : `${step.test.prefix}:`}${step.test.localName}`
      : null
  switch (step.axis) {
    case 'self':
      return base
    case 'parent':
      return base.length > 0 && !base[base.length - 1]!.startsWith('instance(')
        ? base.slice(0, -1)
        : null
    case 'child':
      return name === null ? null : [...base, name]
    case 'attribute':
      return name === null ? null : [...base, `@${name}`]
    case 'descendant-or-self':
      // `//` is kept as an empty segment, so /data//age reads as "any age below /data".
      return step.test.kind === 'node' ? [...base, ''] : null
    case 'descendant':
      return name === null ? null : [...base, '', name]
    default:
      return null
  }
}

const walkSteps = (
  base: Segments | null,
  steps: readonly StepAst[],
  walk: Walk,
): Segments | null => {
  let path = base
  for (const step of steps) {
    path = path === null ? null : stepFrom(path, step)
    for (const predicate of step.predicates) collect(predicate, path, walk)
  }
  return path
}

const instanceBase = (expr: ExprAst): Segments | null => {
  if (expr.type !== 'call' || expr.name.replace(/^.*:/, '') !== 'instance') return null
  const [id] = expr.args
  return id?.type === 'string' ? [`instance('${id.value}')`] : null
}

const collectCall = (
  expr: Extract<ExprAst, { type: 'call' }>,
  context: Segments | null,
  walk: Walk,
): Segments | null => {
  const local = expr.name.replace(/^.*:/, '')
  if (local === 'current') {
    record(walk, walk.current)
    return walk.current
  }
  if (local === 'instance') return instanceBase(expr)
  if (expr.args.length === 0 && CONTEXT_READERS.has(local)) record(walk, context)
  const pathArg = local === 'choice-name' ? expr.args[1] : undefined
  if (pathArg?.type === 'string') collectText(pathArg.value, context, walk)
  for (const arg of expr.args) collect(arg, context, walk)
  return null
}

/** Records what `expr` reads; returns the path it selects when it is a path, for callers to extend. */
const collect = (expr: ExprAst, context: Segments | null, walk: Walk): Segments | null => {
  switch (expr.type) {
    case 'number':
    case 'string':
      return null
    case 'negate':
      collect(expr.operand, context, walk)
      return null
    case 'binary':
      collect(expr.left, context, walk)
      collect(expr.right, context, walk)
      return null
    case 'call':
      return collectCall(expr, context, walk)
    case 'filter': {
      const base = collect(expr.primary, context, walk)
      for (const predicate of expr.predicates) collect(predicate, base, walk)
      return base
    }
    case 'path': {
      const base =
        expr.start === 'root'
          ? []
          : expr.start === 'context'
            ? context
            : pathStart(expr.start, context, walk)
      const path = walkSteps(base, expr.steps, walk)
      if (expr.steps.length > 0 || expr.start === 'context') record(walk, path)
      return path
    }
  }
}

/** current() opening a path is where the path starts, not a read of the bind's own node. */
const pathStart = (start: ExprAst, context: Segments | null, walk: Walk): Segments | null =>
  start.type === 'call' && start.name.replace(/^.*:/, '') === 'current'
    ? walk.current
    : collect(start, context, walk)

const toSegments = (contextPath: string): Segments => contextPath.split('/').filter((s) => s !== '')

/** jr:choice-name's path argument is text; parsing it here keeps its dependency visible. */
const collectText = (path: string, context: Segments | null, walk: Walk): void => {
  try {
    collect(parseXPath(path), context, walk)
  } catch {
    // A path that does not parse reads nothing; evaluation reports it to the author.
  }
}

/**
 * The instance paths an expression reads, normalised (no positions) and absolute, for the
 * runtime's dependency graph. Relative paths resolve against `contextPath` (the bind's nodeset,
 * e.g. /data/household/member/age); `..` climbs. Paths into secondary instances appear as
 * `instance('id')/root/item/name` only when `includeInstances` is set, since those rarely change.
 */
export const referencedPaths = (
  compiled: Pick<CompiledXPath, 'ast'>,
  contextPath: string,
  options: { readonly includeInstances?: boolean } = {},
): string[] => {
  const current = toSegments(contextPath)
  const walk: Walk = {
    out: new Set(),
    current,
    includeInstances: options.includeInstances === true,
  }
  collect(compiled.ast, current, walk)
  return [...walk.out].sort()
}
