import { parseXForm } from '../../../../shared/forms/runtime/definition'
import { FormEngine } from '../../../../shared/forms/runtime/engine'
import { externalInstance } from '../../../../shared/forms/runtime/external'
import { compareStates, odkNodes, ourNodes, type Mismatch } from './compare'
import type { FunctionDefinition } from '../../../../shared/forms/xpath'
import { WEB_FORMS_VARIANTS } from '../xpath/oracle-web-forms'
import { createOdkInstance, type OdkNode, type OdkRoot } from './oracle-env'

export type Source = 'odk' | 'pyxform' | 'generated'
export type FormCase = { source: Source; name: string; xml: string; attachment: (src: string) => string | undefined }
export type Disagreement = Mismatch & { form: string; source: Source; step: number; action: string }
export type FormRun = {
  form: string
  source: Source
  /** Set when one engine cannot load the form: it is then left out of the comparison. */
  skipped?: string
  steps: number
  agreed: number
  /** Steps where ours disagrees only by ODK Web Forms' known departures from JavaRosa. */
  explained: number
  explainedBy: Record<string, number>
  /** Set when ODK's engine threw in the middle of an update; the run stops there. */
  oracleFailed?: string
  disagreements: Disagreement[]
}

/** A small seeded generator (mulberry32), so every disagreement can be replayed. */
export function random(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const pick = <T>(rand: () => number, list: readonly T[]): T | undefined => list[Math.floor(rand() * list.length)]

const samples: Record<string, readonly string[]> = {
  int: ['0', '1', '2', '3', '5', '7', '10', '18', '42', '150', '-4', ''],
  decimal: ['0', '0.5', '1.25', '2', '3.75', '10', '99.9', '-2.5', ''],
  date: ['2024-01-15', '2023-12-31', '2000-02-29', '1990-07-04', ''],
  geopoint: ['12.5 -3.25 100 5', '0 0 0 0', '-1.2 36.8 1500 10', ''],
  geotrace: ['1 1 0 0;1 2 0 0;2 2 0 0', ''],
  geoshape: ['1 1 0 0;1 2 0 0;2 2 0 0;1 1 0 0', ''],
  time: ['10:30:00.000+01:00', ''],
  dateTime: ['2024-01-15T10:30:00.000+01:00', '1999-12-31T23:59:59.000Z', ''],
  string: ['yes', 'no', 'a', 'b', 'c', '1', '2', '0', 'hello world', 'Amina', 'x', 'OK', ''],
}

function valueFor(type: string, rand: () => number): string {
  const key = type.replace(/^xsd:/, '')
  const list = samples[key === 'integer' ? 'int' : key] ?? samples.string ?? []
  return pick(rand, list) ?? ''
}

type Action = { describe: string; odk: () => void; ours: (engine: FormEngine) => void }

function chooseSelect(node: OdkNode, rand: () => number): string[] {
  const options = (node.currentState.valueOptions as Array<{ value: string }> | null) ?? []
  if (options.length === 0 || rand() < 0.1) return []
  const multiple = (node as { selectType?: string }).selectType === 'select'
  if (!multiple) return [pick(rand, options)?.value ?? '']
  return options.filter(() => rand() < 0.35).map((o) => o.value)
}

/** A random thing a person could do now: answer a question, add or remove a repeat instance. */
function chooseAction(engine: FormEngine, root: OdkRoot, rand: () => number): Action | undefined {
  const nodes = odkNodes(root)
  // A question with a calculation is read-only in Outpost (as in Enketo and Collect): nobody types
  // into it, so neither does the driver (ODK Web Forms lets one, then keeps that text until the
  // calculation's result changes).
  const ours = ourNodes(engine)
  const answerable = nodes.filter(({ node }) => {
    const s = node.currentState
    const mine = ours.get(s.reference)
    return (node.nodeType === 'input' || node.nodeType === 'select') && s.relevant && !s.readonly && !(mine && engine.isReadonly(mine))
  })
  const ranges = nodes.filter(({ node }) => node.nodeType === 'repeat-range:uncontrolled' && node.currentState.relevant)
  const roll = rand()
  if (ranges.length > 0 && (roll < 0.2 || answerable.length === 0)) return repeatAction(engine, ranges, rand)
  const chosen = pick(rand, answerable)?.node
  if (!chosen) return undefined
  const ref = chosen.currentState.reference
  const at = (e: FormEngine) => ourNodes(e).get(ref)
  if (chosen.nodeType === 'select') {
    const values = chooseSelect(chosen, rand)
    return {
      describe: `select ${ref} = [${values.join(' ')}]`,
      odk: () => chosen.selectValues?.(values),
      ours: (e) => void (at(e) && e.setValue(at(e) as NonNullable<ReturnType<typeof at>>, values.join(' '))),
    }
  }
  const type = engine.binds.get(ref.replace(/\[\d+\]/g, ''))?.type ?? 'string'
  const value = valueFor(type, rand)
  return {
    describe: `set ${ref} = "${value}"`,
    odk: () => chosen.setValue?.(value),
    ours: (e) => void (at(e) && e.setValue(at(e) as NonNullable<ReturnType<typeof at>>, value)),
  }
}

function repeatAction(engine: FormEngine, ranges: Array<{ node: OdkNode; parent: OdkNode | null }>, rand: () => number): Action | undefined {
  const chosen = pick(rand, ranges)
  if (!chosen?.parent) return undefined
  const { node: range, parent } = chosen
  const path = range.currentState.reference.replace(/\[\d+\]/g, '')
  const instances = range.currentState.children ?? []
  const parentRef = parent.currentState.reference
  if (instances.length > 0 && rand() < 0.4) {
    const index = Math.floor(rand() * instances.length)
    const ref = instances[index]?.currentState.reference ?? ''
    return {
      describe: `remove ${ref}`,
      odk: () => range.removeInstances?.(index, 1),
      ours: (e) => {
        const node = ourNodes(e).get(ref)
        if (node) e.removeRepeat(node)
      },
    }
  }
  return {
    describe: `add ${path} in ${parentRef}`,
    odk: () => range.addInstances?.(),
    ours: (e) => {
      const parentNode = ourNodes(e).get(parentRef)
      if (parentNode) e.addRepeat(path, parentNode)
    },
  }
}

function loadOurs(form: FormCase, functions?: Readonly<Record<string, FunctionDefinition>>): FormEngine {
  const loadExternal = (src: string) => {
    const text = form.attachment(src)
    return text === undefined ? undefined : externalInstance(src, text)
  }
  return new FormEngine(parseXForm(form.xml), { loadExternal, deviceId: 'device-1', username: 'amina', hooks: functions ? { functions } : undefined })
}

/**
 * Our runtime again, with ODK Web Forms' own versions of the functions where Web Forms departs
 * from JavaRosa (test/shared/forms/xpath/oracle-web-forms.ts, each class with its reference in
 * shared/forms/xpath/README.md). When ours disagrees with ODK but this copy agrees, the step's
 * disagreement is ODK's known defect, not ours: it is counted as explained and named by the
 * one variant that reproduces it on its own.
 */
type Shadow = { name: string; engine: FormEngine }

function shadowsFor(form: FormCase): { all: Shadow; singles: Shadow[] } | undefined {
  const relevant = singleVariants.filter(([, table]) => Object.keys(table).some((fn) => new RegExp(`(^|[^\\w:-])${fn}\\s*\\(`).test(form.xml)))
  if (relevant.length === 0) return undefined
  try {
    const all = { name: relevant.map(([name]) => name).join(' + '), engine: loadOurs(form, Object.fromEntries(relevant.flatMap(([, t]) => Object.entries(t)))) }
    return { all, singles: relevant.length === 1 ? [all] : relevant.map(([name, table]) => ({ name, engine: loadOurs(form, table) })) }
  } catch {
    return undefined
  }
}

const singleVariants = WEB_FORMS_VARIANTS.filter(([name]) => !name.includes('-and-'))

/** Loads one form in both engines and compares them after loading and after each random step. */
export async function runForm(form: FormCase, seed: number, steps: number, trace?: (step: number, action: string) => void): Promise<FormRun> {
  const run: FormRun = { form: form.name, source: form.source, steps: 0, agreed: 0, explained: 0, explainedBy: {}, disagreements: [] }
  let ours: FormEngine
  let odk: OdkRoot
  try {
    odk = await createOdkInstance(form.xml, form.attachment)
  } catch (error) {
    return { ...run, skipped: `ODK: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}` }
  }
  try {
    ours = loadOurs(form)
  } catch (error) {
    return { ...run, skipped: `Outpost: ${error instanceof Error ? error.message : String(error)}` }
  }
  const shadows = shadowsFor(form)
  const rand = random(seed)
  const record = (step: number, action: string) => {
    const found = compareStates(ours, odk)
    trace?.(step, action)
    run.steps++
    if (found.length === 0) {
      run.agreed++
      return
    }
    if (shadows && compareStates(shadows.all.engine, odk).length === 0) {
      const single = shadows.singles.find((s) => s === shadows.all || compareStates(s.engine, odk).length === 0)
      const name = single?.name ?? shadows.all.name
      run.explained++
      run.explainedBy[name] = (run.explainedBy[name] ?? 0) + 1
      return
    }
    for (const m of found) run.disagreements.push({ ...m, form: form.name, source: form.source, step, action })
  }
  record(0, 'load')
  for (let step = 1; step <= steps; step++) {
    const action = chooseAction(ours, odk, rand)
    if (!action) break
    const before = odk.instanceState.instanceXML
    try {
      action.odk()
    } catch (error) {
      if (process.env.DIFF_TRACE) console.log(`ODK threw at step ${step} (${action.describe}):`, error)
      // ODK refused the value (its codecs reject some input): the person could not do this.
      if (odk.instanceState.instanceXML === before) continue
      // ODK failed half-way through an update (e.g. Solid's "Potential Infinite Loop" on a
      // jr:count that reads its own repeat): its state is no reference any more.
      run.oracleFailed = `step ${step} (${action.describe}): ${error instanceof Error ? error.message.split('\n')[0] || 'an error without a message' : String(error)}`
      break
    }
    for (const shadow of new Set([shadows?.all, ...(shadows?.singles ?? [])])) {
      try {
        if (shadow) action.ours(shadow.engine)
      } catch {
        // A shadow that fails explains nothing; the main engine's failure is reported below.
      }
    }
    try {
      action.ours(ours)
    } catch (error) {
      // Our runtime failed where ODK's did not: a disagreement of its own, and the run goes on.
      const message = error instanceof Error ? error.message : String(error)
      run.steps++
      run.disagreements.push({ aspect: 'structure', ref: 'error', ours: message, theirs: 'ok', form: form.name, source: form.source, step, action: action.describe })
      continue
    }
    record(step, action.describe)
  }
  return run
}
