import type { ExprAst, StepAst } from './ast'

/** Functions that read the context node, position or size when called with these arg counts. */
const CONTEXT_FUNCTIONS: Readonly<Record<string, (argCount: number) => boolean>> = {
  position: (n) => n === 0,
  last: () => true,
  name: (n) => n === 0,
  'local-name': (n) => n === 0,
  'namespace-uri': (n) => n === 0,
  string: (n) => n === 0,
  number: (n) => n === 0,
  'string-length': (n) => n === 0,
  'normalize-space': (n) => n === 0,
  lang: () => true,
  once: () => true,
}

/** Zero-argument calls that read the context node's value (for dependency extraction). */
export const CONTEXT_READERS: ReadonlySet<string> = new Set([
  'string',
  'number',
  'string-length',
  'normalize-space',
  'name',
  'local-name',
  'once',
])

const localName = (name: string): string => name.slice(name.indexOf(':') + 1)

/**
 * True when the value of `expr` can change with the context node, position or size. current()
 * and absolute paths do not: they read the evaluation's fixed state, so a predicate built only
 * from them can be evaluated once for a whole list.
 */
export const dependsOnContext = (expr: ExprAst): boolean => {
  switch (expr.type) {
    case 'number':
    case 'string':
      return false
    case 'binary':
      return dependsOnContext(expr.left) || dependsOnContext(expr.right)
    case 'negate':
      return dependsOnContext(expr.operand)
    case 'call': {
      const reads = CONTEXT_FUNCTIONS[localName(expr.name)]
      return (reads?.(expr.args.length) ?? false) || expr.args.some(dependsOnContext)
    }
    case 'filter':
      return dependsOnContext(expr.primary) || expr.predicates.some(dependsOnContext)
    case 'path':
      if (expr.start === 'context') return true
      return expr.start !== 'root' && dependsOnContext(expr.start)
  }
}

/** `name` alone as a relative path: one child step, a plain name test, no predicates. */
export const simpleChildName = (expr: ExprAst): { prefix: string; localName: string } | null => {
  if (expr.type !== 'path' || expr.start !== 'context' || expr.steps.length !== 1) return null
  const step: StepAst = expr.steps[0]!
  if (step.axis !== 'child' || step.predicates.length > 0 || step.test.kind !== 'name') return null
  if (step.test.localName === '*') return null
  return { prefix: step.test.prefix, localName: step.test.localName }
}
