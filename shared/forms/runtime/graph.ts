import type { CompiledXPath } from '../xpath/compile'
import { compileXPath } from '../xpath/compile'
import { referencedPaths } from '../xpath/dependencies'
import type { XPathHooks } from '../xpath/context'
import type { FormDefinition, Repeat, BodyNode } from './definition-types'
import { FormLoadError } from './definition'

export type Mip = 'calculate' | 'relevant' | 'required' | 'readonly' | 'constraint' | 'count'

/** One expression of the form, evaluated for every node at `path` (every repeat instance). */
export type Computation = { id: number; path: string; mip: Mip; expr: CompiledXPath; reads: Set<string> }

export type Graph = {
  /** In evaluation order: a calculation runs before anything that reads its result. */
  ordered: Computation[]
  /** Path read → computations reading it. */
  readers: Map<string, Computation[]>
  /** Path → computations reading something below it (a change of structure or relevance there). */
  readersBelow: Map<string, Computation[]>
}

/** The computations a change at `path` reaches: readers of it, and with `structural` of anything inside or around it. */
export function readersOf(graph: Graph, path: string, structural: boolean): Computation[] {
  const exact = graph.readers.get(path) ?? []
  if (!structural) return exact
  const out = [...exact, ...(graph.readersBelow.get(path) ?? [])]
  for (const prefix of prefixesOf(path)) out.push(...(graph.readers.get(prefix) ?? []))
  return out
}

function compile(source: string, where: string, hooks: XPathHooks | undefined): CompiledXPath {
  try {
    return compileXPath(source, hooks)
  } catch (error) {
    throw new FormLoadError(`The expression ${where} cannot be read: ${error instanceof Error ? error.message : String(error)}`)
  }
}

function repeatsOf(nodes: BodyNode[]): Repeat[] {
  return nodes.flatMap((node) => (node.kind === 'repeat' ? [node, ...repeatsOf(node.children)] : node.kind === 'group' ? repeatsOf(node.children) : []))
}

function collect(def: FormDefinition, hooks: XPathHooks | undefined): Computation[] {
  const computations: Computation[] = []
  const add = (path: string, mip: Mip, source: string | undefined) => {
    if (!source) return
    const expr = compile(source, `"${source}" (${mip} of ${path})`, hooks)
    computations.push({ id: computations.length, path, mip, expr, reads: new Set(referencedPaths(expr, path)) })
  }
  for (const bind of def.binds) {
    add(bind.nodeset, 'calculate', bind.calculate)
    add(bind.nodeset, 'relevant', bind.relevant)
    add(bind.nodeset, 'required', bind.required)
    add(bind.nodeset, 'readonly', bind.readonly)
    add(bind.nodeset, 'constraint', bind.constraint)
  }
  for (const repeat of repeatsOf(def.body)) add(repeat.nodeset, 'count', repeat.countExpr && absoluteCount(repeat.countExpr, repeat.nodeset))
  return computations
}

const steps = String.raw`(?:/(?:\.\.|\.|[\w:.-]+))*`
const currentPath = new RegExp(String.raw`current\(\)(${steps})`, 'g')
const relativePath = new RegExp(String.raw`(^|[\s(,])(\.\.?(?![\d.])${steps})`, 'g')

/** `base` followed by `/a/../b` steps, resolved by name: the path they lead to. */
function resolveSteps(base: string, tail: string): string {
  const parts = base.split('/').filter(Boolean)
  for (const step of tail.split('/').filter(Boolean)) {
    if (step === '..') parts.pop()
    else if (step !== '.') parts.push(step)
  }
  return `/${parts.join('/')}`
}

/**
 * A jr:count is about the repeat (JavaRosa contextualises it by the repeat's reference, and
 * current() is the repeat), yet it must be computed with no instance to stand on: its relative
 * paths are made absolute from the repeat's path.
 */
export function absoluteCount(source: string, repeatPath: string): string {
  return source
    .replace(currentPath, (_, tail: string) => resolveSteps(repeatPath, tail))
    .replace(relativePath, (_, before: string, path: string) => `${before}${resolveSteps(repeatPath, path)}`)
}

/** Does a change at `changed` reach a reader of `read`? Same node, or one inside the other. */
export const touches = (read: string, changed: string): boolean =>
  read === changed || read.startsWith(`${changed}/`) || changed.startsWith(`${read}/`)

/**
 * Whether `reader` must run after `writer`. A value written at a path reaches readers of that
 * path; a repeat count (a change of structure) reaches readers of anything inside or around it.
 * Reading a group or repeat node itself (count(), position()) depends on its structure only.
 */
export const dependsOn = (reader: Computation, writer: Computation): boolean =>
  [...reader.reads].some((read) => (writer.mip === 'calculate' ? read === writer.path : touches(read, writer.path)))

const prefixesOf = (path: string): string[] => {
  const out: string[] = []
  for (let i = path.indexOf('/', 1); i > 0; i = path.indexOf('/', i + 1)) out.push(path.slice(0, i))
  return out
}

/**
 * Computations by the paths they read, and by every ancestor of those paths, so that the readers
 * a writer reaches (see dependsOn) are found without comparing every pair. In computation order.
 */
function readIndex(computations: Computation[]): { readersOf: (writer: Computation) => Computation[] } {
  const exact = new Map<string, Set<Computation>>()
  const below = new Map<string, Set<Computation>>()
  const add = (map: Map<string, Set<Computation>>, key: string, c: Computation) => {
    const set = map.get(key)
    if (set) set.add(c)
    else map.set(key, new Set([c]))
  }
  for (const c of computations) {
    for (const read of c.reads) {
      add(exact, read, c)
      for (const prefix of prefixesOf(read)) add(below, prefix, c)
    }
  }
  return {
    readersOf: (writer) => {
      if (writer.mip === 'calculate') return [...(exact.get(writer.path) ?? [])].sort((a, b) => a.id - b.id)
      const found = new Set([...(exact.get(writer.path) ?? []), ...(below.get(writer.path) ?? [])])
      for (const prefix of prefixesOf(writer.path)) for (const c of exact.get(prefix) ?? []) found.add(c)
      return [...found].sort((a, b) => a.id - b.id)
    },
  }
}

/** Orders computations so that every calculation (and repeat count) precedes its readers. */
export function buildGraph(def: FormDefinition, hooks?: XPathHooks): Graph {
  const computations = collect(def, hooks)
  // A relevance writes too: a question that is not relevant reads as empty (JavaRosa), so its
  // readers run after it. Should that make a cycle that calculations alone do not have, the
  // relevances are left unordered (their change still reruns their readers, see FormEngine).
  return (
    order(computations, computations.filter((c) => c.mip === 'calculate' || c.mip === 'relevant'), false) ??
    (order(computations, computations.filter((c) => c.mip === 'calculate'), true) as Graph)
  )
}

function order(computations: Computation[], writers: Computation[], final: boolean): Graph | undefined {
  // Repeat counts are not ordered: like ODK Collect, they act when their value changes and the
  // structural change then runs its own readers, so a count that reads its repeat is no cycle.
  const edges = new Map<number, Computation[]>()
  const inDegree = new Map<number, number>(computations.map((c) => [c.id, 0]))
  const index = readIndex(computations)
  for (const writer of writers) {
    const readers = index.readersOf(writer).filter((c) => c !== writer)
    edges.set(writer.id, readers)
    for (const reader of readers) inDegree.set(reader.id, (inDegree.get(reader.id) ?? 0) + 1)
  }
  const ready = computations.filter((c) => inDegree.get(c.id) === 0)
  const ordered: Computation[] = []
  while (ready.length > 0) {
    const next = ready.shift() as Computation
    ordered.push(next)
    for (const reader of edges.get(next.id) ?? []) {
      const left = (inDegree.get(reader.id) ?? 0) - 1
      inDegree.set(reader.id, left)
      if (left === 0) ready.push(reader)
    }
  }
  if (ordered.length < computations.length) {
    if (!final) return undefined
    const stuck = computations.filter((c) => !ordered.includes(c) && c.mip === 'calculate').map((c) => c.path)
    throw new FormLoadError(`The calculations of ${stuck.join(', ')} depend on each other in a cycle, so none can be computed.`)
  }
  const readers = new Map<string, Computation[]>()
  const readersBelow = new Map<string, Computation[]>()
  const add = (map: Map<string, Computation[]>, key: string, computation: Computation) => {
    const list = map.get(key)
    if (!list) map.set(key, [computation])
    else if (list[list.length - 1] !== computation) list.push(computation)
  }
  for (const computation of ordered) {
    for (const read of computation.reads) {
      add(readers, read, computation)
      for (const prefix of prefixesOf(read)) add(readersBelow, prefix, computation)
    }
  }
  return { ordered, readers, readersBelow }
}
