import type { NodeModel, XNode } from './node-model'
import type { TimeZone } from './time'
import type { XPathValue } from './values'

/** Hooks into the form: everything an expression can read that is not an instance node. */
export type XPathHooks = {
  /** Epoch milliseconds; today() and now() read it. */
  readonly clock?: () => number
  readonly timeZone?: TimeZone
  /** Uniform in [0, 1); random(), uuid() and randomize() without a seed read it. */
  readonly random?: () => number
  /** The label of choice `value` of the select bound to `node`, in the active language. */
  readonly choiceName?: (node: XNode, value: string) => string | null
  /** The text of itext `id` in the active language. */
  readonly itext?: (id: string) => string | null
  /** Extra or replacement functions, keyed by the name as written (`my:fn` or `fn`). */
  readonly functions?: Readonly<Record<string, FunctionDefinition>>
}

/** How an expression is evaluated: which tree, which node it is about, and the hooks. */
export type EvaluationContext = {
  readonly model: NodeModel
  /** The context node; defaults to the primary instance's root. */
  readonly node?: XNode
  /** current(): the node the bind or control is about; defaults to `node`. */
  readonly current?: XNode
  /** Context position and size; without a position, position() is the node's repeat index. */
  readonly position?: number
  readonly size?: number
  readonly hooks?: XPathHooks
}

/** Per-evaluation state shared by every frame of one evaluate() call. */
export type Env = {
  readonly model: NodeModel
  readonly current: XNode
  readonly zone: TimeZone
  readonly clock: () => number
  readonly random: () => number
  readonly hooks: XPathHooks
}

/** The XPath context: node, position and size, plus the evaluation's shared state. */
export type Frame = {
  readonly node: XNode
  readonly position: number
  readonly size: number
  readonly env: Env
}

export type Evaluator = (frame: Frame) => XPathValue

export type FunctionDefinition = {
  readonly minArgs: number
  /** Infinity for variadic functions. */
  readonly maxArgs: number
  /** Arguments arrive unevaluated so if(), coalesce() and once() can skip work. */
  readonly call: (args: readonly Evaluator[], frame: Frame) => XPathValue
}
