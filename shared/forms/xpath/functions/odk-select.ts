import { sha256 } from '@noble/hashes/sha2.js'
import type { Frame } from '../context'
import { XPathEvaluationError } from '../errors'
import type { NameTest, XNode } from '../node-model'
import { trimXml } from '../values'
import { argNodes, argNumber, argString, fn, selectedValues, type FunctionTable } from './helpers'
import { resolveNodesAt } from './resolve'

const ITEM: NameTest = { prefix: '', localName: 'item' }

const firstElement = (node: XNode): XNode | undefined =>
  node.children.find((c) => c.kind === 'element')

const childText = (node: XNode, name: string): string | undefined =>
  node.children
    .find((c) => c.kind === 'element' && c.prefix === '' && c.localName === name)
    ?.stringValue()

/**
 * pulldata('list', 'column', 'key column', key): the column of the first item whose key column
 * equals the key, over the secondary instance of that id (a CSV attachment becomes one).
 */
const pulldata = (
  frame: Frame,
  id: string,
  column: string,
  keyColumn: string,
  key: string,
): string => {
  const root = frame.env.model.instance(id)
  const list = root === null ? undefined : firstElement(root)
  if (list === undefined) return ''
  const keyTest: NameTest = { prefix: '', localName: keyColumn }
  const indexed = frame.env.model.childrenWhere?.([list], ITEM, keyTest, key)
  const items =
    indexed ??
    list.children.filter((item) => item.kind === 'element' && childText(item, keyColumn) === key)
  const first = items[0]
  return first === undefined ? '' : (childText(first, column) ?? '')
}

const MAX_INT_32 = 2_147_483_647
const MIN_STD = 16_807

/** JavaRosa's Park-Miller generator, so seeded randomize() orders choices as Collect does. */
const parkMiller = (seed: number): (() => number) => {
  let state = seed % MAX_INT_32
  if (state <= 0) state += MAX_INT_32 - 1
  return () => {
    state = (state * MIN_STD) % MAX_INT_32
    return (state - 1) / (MAX_INT_32 - 1)
  }
}

/** A text seed hashes to the first 8 bytes of its SHA-256, as ODK Web Forms does. */
const textSeed = (text: string): number => {
  const bytes = sha256(new TextEncoder().encode(text))
  const view = new DataView(bytes.buffer, bytes.byteOffset, 8)
  return Number(view.getBigInt64(0) % BigInt(MAX_INT_32))
}

const shuffle = (values: readonly XNode[], random: () => number): XNode[] => {
  const out: XNode[] = []
  for (let i = 0; i < values.length; i += 1) {
    const j = Math.floor(random() * (i + 1))
    if (j !== i) out[i] = out[j]!
    out[j] = values[i]!
  }
  return out
}

const seedOf = (frame: Frame, args: Parameters<typeof argNumber>[0]): number => {
  const n = argNumber(args, 1, frame)
  if (!Number.isNaN(n)) return Number.isFinite(n) ? Math.trunc(n) : n > 0 ? MAX_INT_32 - 1 : 1
  const text = argString(args, 1, frame)
  return text === '' ? 0 : textSeed(text)
}

export const selectFunctions: FunctionTable = {
  selected: fn(2, 2, (args, f) =>
    selectedValues(argString(args, 0, f)).includes(trimXml(argString(args, 1, f))),
  ),
  'selected-at': fn(2, 2, (args, f) => {
    const index = argNumber(args, 1, f)
    return Number.isInteger(index) ? (selectedValues(argString(args, 0, f))[index] ?? '') : ''
  }),
  'count-selected': fn(1, 1, (args, f) => selectedValues(argString(args, 0, f)).length),
  'choice-name': fn(2, 2, (args, f) => {
    const value = argString(args, 0, f)
    const node = resolveNodesAt(argString(args, 1, f), f)[0]
    const lookup = f.env.hooks.choiceName
    if (node === undefined || lookup === undefined) return ''
    return lookup(node, value) ?? ''
  }),
  itext: fn(1, 1, (args, f) => {
    const lookup = f.env.hooks.itext
    if (lookup === undefined)
      throw new XPathEvaluationError(
        "jr:itext() needs the form's translations, which this evaluation was not given",
      )
    return lookup(argString(args, 0, f)) ?? ''
  }),
  pulldata: fn(4, 4, (args, f) =>
    pulldata(
      f,
      argString(args, 0, f),
      argString(args, 1, f),
      argString(args, 2, f),
      argString(args, 3, f),
    ),
  ),
  randomize: fn(1, 2, (args, f) => {
    const nodes = argNodes(args, 0, f, 'randomize')
    return shuffle(nodes, args.length > 1 ? parkMiller(seedOf(f, args)) : f.env.random)
  }),
}
