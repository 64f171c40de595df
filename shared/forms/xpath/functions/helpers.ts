import type { Evaluator, Frame, FunctionDefinition } from '../context'
import { XPathEvaluationError } from '../errors'
import {
  isNodeSet,
  toBooleanValue,
  toNumberValue,
  toStringValue,
  trimXml,
  type NodeSet,
  type XPathValue,
} from '../values'

export type FunctionTable = Readonly<Record<string, FunctionDefinition>>

export const fn = (
  minArgs: number,
  maxArgs: number,
  call: (args: readonly Evaluator[], frame: Frame) => XPathValue,
): FunctionDefinition => ({ minArgs, maxArgs, call })

/** Argument `index` as a string; an absent optional argument means the context node. */
export const argString = (args: readonly Evaluator[], index: number, frame: Frame): string => {
  const arg = args[index]
  return arg === undefined ? frame.node.stringValue() : toStringValue(arg(frame))
}

export const argNumber = (args: readonly Evaluator[], index: number, frame: Frame): number => {
  const arg = args[index]
  const value: XPathValue = arg === undefined ? [frame.node] : arg(frame)
  return toNumberValue(value, frame.env.zone)
}

export const argBoolean = (args: readonly Evaluator[], index: number, frame: Frame): boolean => {
  const arg = args[index]
  return arg === undefined ? false : toBooleanValue(arg(frame))
}

export const argNodes = (
  args: readonly Evaluator[],
  index: number,
  frame: Frame,
  name: string,
): NodeSet => {
  const arg = args[index]
  if (arg === undefined) return [frame.node]
  const value = arg(frame)
  if (!isNodeSet(value)) {
    throw new XPathEvaluationError(
      `Argument ${index + 1} of ${name}() must be a path to nodes, not a single value`,
    )
  }
  return value
}

/** Each argument's strings; a node-set argument gives one string per node (ODK's concat and join). */
export const argStringsFlat = (args: readonly Evaluator[], frame: Frame): string[] => {
  const out: string[] = []
  for (const arg of args) {
    const value = arg(frame)
    if (isNodeSet(value)) for (const node of value) out.push(node.stringValue())
    else out.push(toStringValue(value))
  }
  return out
}

/** The numbers of every argument, node-sets contributing one per node (min, max). */
export const argNumbersFlat = (args: readonly Evaluator[], frame: Frame): number[] => {
  const out: number[] = []
  for (const arg of args) {
    const value = arg(frame)
    if (isNodeSet(value)) for (const node of value) out.push(toNumberValue([node], frame.env.zone))
    else out.push(toNumberValue(value, frame.env.zone))
  }
  return out
}

/** A space-separated select_multiple answer as its list of choice values. */
export const selectedValues = (text: string): string[] => {
  const trimmed = trimXml(text)
  return trimmed === '' ? [] : trimmed.split(/[ \t\r\n]+/)
}
