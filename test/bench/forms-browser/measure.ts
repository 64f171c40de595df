// Measurements shared by the Node run and the Chromium page: no Node or DOM imports here, the
// caller injects the heap reader and ODK's engine.
import { parseXForm } from '../../../shared/forms/runtime/definition'
import { FormEngine } from '../../../shared/forms/runtime/engine'
import type { InstanceNode } from '../../../shared/forms/runtime/instance'

/** The slice of @getodk/xforms-engine's client API the benchmark drives. */
export type OdkNode = {
  readonly currentState: {
    readonly reference: string
    readonly relevant: boolean
    readonly value: unknown
    readonly valueOptions: unknown
    readonly children: readonly OdkNode[] | null
  }
  readonly setValue?: (value: string) => unknown
  readonly selectValue?: (value: string | null) => unknown
}
export type Env = {
  /** Used JS heap in MB after a full GC, or null when the platform cannot tell. */
  heapMb: () => number | null
  createOdk: (xml: string) => Promise<OdkNode>
}
export type Forms = { big: string; cascade: string }

export const counts = { outpostEdits: 200, odkEdits: 40, odkRefilters: 20 }

const percentile = (values: number[], p: number) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(values.length * p))] ?? 0
const round = (n: number) => Math.round(n * 100) / 100
const stats = (times: number[]) => ({ p50: round(percentile(times, 0.5)), p95: round(percentile(times, 0.95)), n: times.length })
const heapDelta = (before: number | null, after: number | null) => (before === null || after === null ? null : round(after - before))

async function timed<T>(run: () => T | Promise<T>): Promise<{ value: T; ms: number }> {
  const started = performance.now()
  const value = await run()
  return { value, ms: performance.now() - started }
}

const loadOutpost = (xml: string) => new FormEngine(parseXForm(xml))
const at = (engine: FormEngine, path: string) => engine.nodesAt(path)[0] as InstanceNode

function odkAt(root: OdkNode, ref: string): OdkNode {
  const found = root.currentState.children?.find((c) => c.currentState.reference === ref)
  if (!found) throw new Error(`ODK has no node ${ref}`)
  return found
}

/** (a) 1,000 questions: one answer that 200 relevances and a 100-calculate chain depend on. */
async function outpostBig(xml: string, env: Env) {
  const loads: number[] = []
  for (let i = 0; i < 5; i++) loads.push((await timed(() => loadOutpost(xml))).ms)
  const before = env.heapMb()
  const engine = loadOutpost(xml)
  const heap = heapDelta(before, env.heapMb())
  const q1 = at(engine, '/data/q1')
  const questions = engine.root.children
  const times: number[] = []
  for (let i = 0; i < counts.outpostEdits; i++) {
    const { ms } = await timed(() => {
      engine.setValue(q1, String(i % 60))
      // What a screen reads after an answer: every question's relevance and the last total.
      return questions.filter((q) => engine.isRelevant(q)).length + at(engine, '/data/c100').value.length
    })
    times.push(ms)
  }
  return { loadMs: round(percentile(loads, 0.5)), recomputeMs: stats(times), heapMb: heap }
}

async function odkBig(xml: string, env: Env) {
  const before = env.heapMb()
  const { value: root, ms: loadMs } = await timed(() => env.createOdk(xml))
  const heap = heapDelta(before, env.heapMb())
  const q1 = odkAt(root, '/data/q1')
  const questions = root.currentState.children ?? []
  const times: number[] = []
  for (let i = 0; i < counts.odkEdits; i++) {
    const { ms } = await timed(() => {
      q1.setValue?.(String(i % 60))
      return questions.filter((q) => q.currentState.relevant).length + String(odkAt(root, '/data/c100').currentState.value).length
    })
    times.push(ms)
  }
  return { loadMs: round(loadMs), recomputeMs: stats(times), heapMb: heap }
}

/** (b) 20,000 villages filtered by the district answered before. */
async function outpostCascade(xml: string, env: Env) {
  const loads: number[] = []
  // The village list is built when it is first read: load plus the first district's villages is
  // what a person waits for before the village question shows its choices.
  const firstChoices: number[] = []
  for (let i = 0; i < 3; i++) {
    const { value: loaded, ms } = await timed(() => loadOutpost(xml))
    loads.push(ms)
    const control = loaded.controlAt('/data/village')
    if (!control) throw new Error('no village control')
    const { ms: first } = await timed(() => {
      loaded.setValue(at(loaded, '/data/district'), 'd1')
      return loaded.labels.choices(control, at(loaded, '/data/village')).length
    })
    firstChoices.push(ms + first)
  }
  const before = env.heapMb()
  const engine = loadOutpost(xml)
  const district = at(engine, '/data/district')
  const village = at(engine, '/data/village')
  const control = engine.controlAt('/data/village')
  if (!control) throw new Error('no village control')
  // Heap with the village list built, as it is once the question has been shown.
  engine.labels.choices(control, village)
  const heap = heapDelta(before, env.heapMb())
  const times: number[] = []
  let shown = 0
  for (let i = 0; i < counts.outpostEdits; i++) {
    const { ms } = await timed(() => {
      engine.setValue(district, `d${(i * 7) % 200}`)
      shown = engine.labels.choices(control, village).length
    })
    times.push(ms)
  }
  return { loadMs: round(percentile(loads, 0.5)), loadToFirstChoicesMs: round(percentile(firstChoices, 0.5)), refilterMs: stats(times), shown, heapMb: heap }
}

async function odkCascade(xml: string, env: Env) {
  const before = env.heapMb()
  const { value: root, ms: loadMs } = await timed(() => env.createOdk(xml))
  const heap = heapDelta(before, env.heapMb())
  const district = odkAt(root, '/data/district')
  const village = odkAt(root, '/data/village')
  const times: number[] = []
  let shown = 0
  for (let i = 0; i < counts.odkRefilters; i++) {
    const { ms } = await timed(() => {
      district.selectValue?.(`d${(i * 7) % 200}`)
      shown = (village.currentState.valueOptions as unknown[]).length
    })
    times.push(ms)
  }
  return { loadMs: round(loadMs), refilterMs: stats(times), shown, heapMb: heap }
}

export async function measureAll(forms: Forms, env: Env) {
  const outpost = { big: await outpostBig(forms.big, env), cascade: await outpostCascade(forms.cascade, env) }
  const odk = { big: await odkBig(forms.big, env), cascade: await odkCascade(forms.cascade, env) }
  const ratio = (a: number, b: number) => (a > 0 ? round(b / a) : null)
  const speedup = {
    bigLoad: ratio(outpost.big.loadMs, odk.big.loadMs),
    bigRecomputeP50: ratio(outpost.big.recomputeMs.p50, odk.big.recomputeMs.p50),
    cascadeLoad: ratio(outpost.cascade.loadMs, odk.cascade.loadMs),
    // ODK's load already holds its first choice list; ours counted up to the first villages.
    cascadeLoadToFirstChoices: ratio(outpost.cascade.loadToFirstChoicesMs, odk.cascade.loadMs),
    cascadeRefilterP50: ratio(outpost.cascade.refilterMs.p50, odk.cascade.refilterMs.p50),
  }
  return { outpost, odk, outpostFasterBy: speedup }
}
