import type { BinaryOp, ExprAst } from './ast'
import { compareValues, type ComparisonOp } from './compare'
import { compileFilter, compilePath, notNodeSetError, sortUnique } from './compile-path'
import type {
  Env,
  EvaluationContext,
  Evaluator,
  Frame,
  FunctionDefinition,
  XPathHooks,
} from './context'
import { XPathEvaluationError } from './errors'
import { lookupFunction } from './functions/library'
import { parseXPath } from './parser'
import { systemTimeZone } from './time'
import {
  isNodeSet,
  toBooleanValue,
  toNumberValue,
  toStringValue,
  type NodeSet,
  type XPathValue,
} from './values'

export type CompiledXPath = {
  readonly source: string
  readonly ast: ExprAst
  evaluate(context: EvaluationContext): XPathValue
  evaluateString(context: EvaluationContext): string
  evaluateNumber(context: EvaluationContext): number
  evaluateBoolean(context: EvaluationContext): boolean
  /** Throws when the expression does not give a node-set. */
  evaluateNodes(context: EvaluationContext): NodeSet
}

const arithmetic = (op: '+' | '-' | '*' | 'div' | 'mod', a: number, b: number): number => {
  switch (op) {
    case '+':
      return a + b
    case '-':
      return a - b
    case '*':
      return a * b
    case 'div':
      return a / b
    case 'mod':
      return a % b
  }
}

const compileBinary = (op: BinaryOp, left: Evaluator, right: Evaluator): Evaluator => {
  switch (op) {
    case 'or':
      return (f) => toBooleanValue(left(f)) || toBooleanValue(right(f))
    case 'and':
      return (f) => toBooleanValue(left(f)) && toBooleanValue(right(f))
    case '|':
      return (f) => {
        const a = left(f)
        const b = right(f)
        if (!isNodeSet(a) || !isNodeSet(b)) throw notNodeSetError('The union "|"')
        return sortUnique([...a, ...b])
      }
    case '=':
    case '!=':
    case '<':
    case '<=':
    case '>':
    case '>=':
      return compileComparison(op, left, right)
    default:
      return (f) =>
        arithmetic(op, toNumberValue(left(f), f.env.zone), toNumberValue(right(f), f.env.zone))
  }
}

const compileComparison =
  (op: ComparisonOp, left: Evaluator, right: Evaluator): Evaluator =>
  (f) =>
    compareValues(op, left(f), right(f), f.env)

const compileCall = (
  name: string,
  args: readonly ExprAst[],
  hooks: XPathHooks | undefined,
): Evaluator => {
  const definition: FunctionDefinition | undefined =
    hooks?.functions?.[name] ?? lookupFunction(name)
  if (definition === undefined) {
    throw new XPathEvaluationError(
      `The function ${name}() does not exist in ODK XForms: check its spelling`,
    )
  }
  if (args.length < definition.minArgs || args.length > definition.maxArgs) {
    const expected =
      definition.minArgs === definition.maxArgs
        ? `${definition.minArgs}`
        : definition.maxArgs === Infinity
          ? `at least ${definition.minArgs}`
          : `${definition.minArgs} to ${definition.maxArgs}`
    throw new XPathEvaluationError(
      `${name}() takes ${expected} argument(s), but was given ${args.length}`,
    )
  }
  const compiled = args.map((arg) => compileAst(arg, hooks))
  return (frame) => definition.call(compiled, frame)
}

/** Builds a closure tree once; evaluating it walks no AST and parses nothing. */
export const compileAst = (ast: ExprAst, hooks?: XPathHooks): Evaluator => {
  const compile = (inner: ExprAst): Evaluator => compileAst(inner, hooks)
  switch (ast.type) {
    case 'number': {
      const value = ast.value
      return () => value
    }
    case 'string': {
      const value = ast.value
      return () => value
    }
    case 'negate': {
      const operand = compile(ast.operand)
      return (f) => -toNumberValue(operand(f), f.env.zone)
    }
    case 'binary':
      return compileBinary(ast.op, compile(ast.left), compile(ast.right))
    case 'call':
      return compileCall(ast.name, ast.args, hooks)
    case 'filter':
      return compileFilter(compile(ast.primary), ast.predicates, compile)
    case 'path':
      return compilePath(ast.start, ast.steps, compile)
  }
}

const defaultRandom = (): number => Math.random()
const defaultClock = (): number => Date.now()

export const makeFrame = (context: EvaluationContext): Frame => {
  const hooks = context.hooks ?? {}
  const node = context.node ?? context.model.primaryRoot
  const env: Env = {
    model: context.model,
    current: context.current ?? node,
    zone: hooks.timeZone ?? systemTimeZone,
    clock: hooks.clock ?? defaultClock,
    random: hooks.random ?? defaultRandom,
    hooks,
  }
  // 0 marks an unset position: position() then answers as JavaRosa does for a bind (see core-node).
  return { node, position: context.position ?? 0, size: context.size ?? 1, env }
}

/**
 * Parses and compiles once. Hooks given here fix extension functions at compile time; the
 * context's hooks at evaluation time supply the clock, zone, random source and lookups.
 */
export const compileXPath = (source: string, hooks?: XPathHooks): CompiledXPath => {
  const ast = parseXPath(source)
  const run = compileAst(ast, hooks)
  const evaluate = (context: EvaluationContext): XPathValue => run(makeFrame(context))
  return {
    source,
    ast,
    evaluate,
    evaluateString: (context) => toStringValue(evaluate(context)),
    evaluateNumber: (context) => {
      const frame = makeFrame(context)
      return toNumberValue(run(frame), frame.env.zone)
    },
    evaluateBoolean: (context) => toBooleanValue(evaluate(context)),
    evaluateNodes: (context) => {
      const value = evaluate(context)
      if (!isNodeSet(value)) throw new XPathEvaluationError(`"${source}" does not select nodes`)
      return value
    },
  }
}
