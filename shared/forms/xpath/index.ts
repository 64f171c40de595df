export type { Axis, BinaryOp, ExprAst, NodeTestAst, StepAst } from './ast'
export { compileXPath, type CompiledXPath } from './compile'
export type { EvaluationContext, FunctionDefinition, XPathHooks } from './context'
export { referencedPaths } from './dependencies'
export { XPathEvaluationError, XPathSyntaxError } from './errors'
export { functionNames, lookupFunction } from './functions/library'
export { indexedChildrenWhere } from './children-index'
export {
  element,
  memoryModel,
  MemoryNode,
  type ElementSpec,
  type MemoryModel,
} from './memory-model'
export { modelFromDocument, modelFromXForm, type DomNodeLike } from './dom-model'
export {
  compareOrder,
  matchesName,
  qualifiedName,
  type ChildrenWhere,
  type NameTest,
  type NodeModel,
  type XNode,
  type XNodeKind,
} from './node-model'
export { parseXPath } from './parser'
export { fixedTimeZone, systemTimeZone, type TimeZone } from './time'
export {
  DateValue,
  isNodeSet,
  numberToString,
  toBooleanValue,
  toNumberValue,
  toStringValue,
  type NodeSet,
  type XPathValue,
} from './values'
