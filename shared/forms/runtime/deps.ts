import type { ExprAst, StepAst } from '../xpath/ast'

/**
 * The primary-instance paths (without positions) an expression reads, resolved against the
 * path of the node it is evaluated for. Reads of secondary instances (`instance('x')/…`) are
 * static and left out; `current()` starts at the context path too.
 */
export function pathsReadBy(ast: ExprAst, contextPath: string): Set<string> {
  const found = new Set<string>()
  visit(ast, contextPath, contextPath, found)
  return found
}

/** `context` is null inside predicates over secondary instances: their relative paths are static. */
function visit(ast: ExprAst, context: string | null, current: string, found: Set<string>): void {
  switch (ast.type) {
    case 'number':
    case 'string':
      return
    case 'negate':
      return visit(ast.operand, context, current, found)
    case 'binary':
      visit(ast.left, context, current, found)
      return visit(ast.right, context, current, found)
    case 'call':
      return ast.args.forEach((arg) => visit(arg, context, current, found))
    case 'filter':
      visit(ast.primary, context, current, found)
      return ast.predicates.forEach((p) => visit(p, context, current, found))
    case 'path':
      return visitPath(ast, context, current, found)
  }
}

function startOf(ast: Extract<ExprAst, { type: 'path' }>, context: string | null, current: string, found: Set<string>): string | null {
  if (ast.start === 'root') return ''
  if (ast.start === 'context') return context
  const start = ast.start
  if (start.type === 'call' && start.name === 'current') return current
  if (start.type === 'call' && start.name === 'instance') return null
  visit(start, context, current, found)
  return null
}

function visitPath(ast: Extract<ExprAst, { type: 'path' }>, context: string | null, current: string, found: Set<string>): void {
  let path = startOf(ast, context, current, found)
  for (const step of ast.steps) {
    if (path !== null) path = applyStep(path, step)
    for (const predicate of step.predicates) visit(predicate, path, current, found)
  }
  if (path !== null && path !== '') found.add(path)
}

function applyStep(path: string, step: StepAst): string | null {
  const name = step.test.kind === 'name' ? (step.test.prefix ? `${step.test.prefix}:${step.test.localName}` : step.test.localName) : null
  switch (step.axis) {
    case 'self':
      return path
    case 'parent':
      return path.slice(0, Math.max(0, path.lastIndexOf('/')))
    case 'child':
      return name && name !== '*' ? `${path}/${name}` : path
    case 'attribute':
      return name ? `${path}/@${name}` : path
    default:
      // descendant and sibling axes: depend on the whole subtree of where they start.
      return path
  }
}
