import type { FormEngine } from '../../../../shared/forms/runtime/engine'
import type { InstanceNode } from '../../../../shared/forms/runtime/instance'
import { serializeInstance, submissionText } from '../../../../shared/forms/runtime/serialize'
import type { OdkNode, OdkRoot } from './oracle-env'

/** What is compared at each step; `xml` is the whole submission. */
export type Aspect = 'relevant' | 'required' | 'constraint' | 'value' | 'options' | 'xml' | 'structure'
export type Mismatch = { aspect: Aspect; ref: string; ours: string; theirs: string }

export const leafTypes = new Set(['input', 'select', 'model-value', 'note', 'range', 'rank', 'trigger', 'upload'])

/** Every ODK node with its parent, in document order. */
export function odkNodes(root: OdkNode): Array<{ node: OdkNode; parent: OdkNode | null }> {
  const out: Array<{ node: OdkNode; parent: OdkNode | null }> = []
  const visit = (node: OdkNode, parent: OdkNode | null) => {
    out.push({ node, parent })
    for (const child of node.currentState.children ?? []) visit(child, node)
  }
  visit(root, null)
  return out
}

/** Our nodes by the same positional reference ODK uses: /data/rep[2]/q. */
export function ourNodes(engine: FormEngine): Map<string, InstanceNode> {
  const byRef = new Map<string, InstanceNode>()
  const visit = (node: InstanceNode, ref: string) => {
    byRef.set(ref, node)
    const counts = new Map<string, number>()
    for (const child of node.children) {
      const repeated = engine.repeats.has(child.path)
      const position = (counts.get(child.name) ?? 0) + 1
      counts.set(child.name, position)
      visit(child, `${ref}/${child.name}${repeated ? `[${position}]` : ''}`)
    }
  }
  visit(engine.root, `/${engine.root.name}`)
  return byRef
}

// Times, uuids and random numbers differ between two runs of one form by design.
const volatile = [
  [/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:?\d\d)?/g, 'DATETIME'],
  [/uuid:[0-9a-f-]{36}/gi, 'uuid:UUID'],
  [/\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi, 'UUID'],
] as const
export const normalise = (text: string): string => volatile.reduce<string>((t, [re, to]) => t.replace(re, to), text)

const nondeterministic = /\b(now|random|uuid|today)\s*\(/

/** Questions whose value comes from the clock or a random source: equal only by chance. */
export function volatilePaths(engine: FormEngine): Set<string> {
  const paths = new Set<string>()
  for (const bind of engine.binds.values()) if (bind.calculate && nondeterministic.test(bind.calculate)) paths.add(bind.nodeset)
  for (const action of engine.def.actions) if (action.value && nondeterministic.test(action.value)) paths.add(action.ref)
  return paths
}

/** The leaf's value as ODK would submit it (its own serialisation, unaffected by codecs). */
function odkLeafText(node: OdkNode): string {
  const xml = node.instanceState?.instanceXML ?? ''
  const match = /^<[^>]*?(\/>|>([\s\S]*)<\/[^>]+>)$/.exec(xml)
  return decodeXml(match?.[2] ?? '')
}

const decodeXml = (text: string): string =>
  text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;|&apos;/g, "'").replace(/&amp;/g, '&')

/** Both submissions with namespace declarations and empty-element spellings made comparable. */
export function canonicalXml(xml: string): string {
  return normalise(xml)
    .replace(/\s+xmlns(:\w+)?="[^"]*"/g, '')
    .replace(/<([\w:.-]+)([^<>]*?)><\/\1>/g, '<$1$2/>')
    .replace(/&#10;/g, '\n')
}

const unseededShuffle = /randomize\((?:[^(),]|\([^()]*\))*\)/

function optionValues(node: OdkNode): string {
  const options = node.currentState.valueOptions
  if (!Array.isArray(options)) return ''
  return (options as Array<{ value: string }>).map((o) => o.value).join(' ')
}

function compareLeaf(engine: FormEngine, odk: OdkNode, ours: InstanceNode, volatile: Set<string>, out: Mismatch[]): void {
  const ref = odk.currentState.reference
  const state = engine.stateOf(ours)
  const push = (aspect: Aspect, a: string | boolean, b: string | boolean) => {
    if (a !== b) out.push({ aspect, ref, ours: String(a), theirs: String(b) })
  }
  push('required', state.required, odk.currentState.required)
  const constraint = odk.validationState?.constraint
  if (constraint) push('constraint', state.constraintOk, constraint.valid)
  if (!volatile.has(ours.path)) push('value', normalise(submissionText(engine, ours)), normalise(odkLeafText(odk)))
  if (odk.nodeType === 'select') {
    const control = engine.controlAt(ours.path)
    const choices = control ? engine.labels.choices(control, ours).map((c) => c.value) : []
    const theirs = optionValues(odk)
    // randomize() without a seed shuffles differently in each engine: compare the choices as a set.
    if (control?.itemset && unseededShuffle.test(control.itemset.nodeset)) push('options', choices.sort().join(' '), theirs.split(' ').sort().join(' '))
    else push('options', choices.join(' '), theirs)
  }
}

/** Every difference between the two engines' states right now. */
export function compareStates(engine: FormEngine, root: OdkRoot): Mismatch[] {
  const out: Mismatch[] = []
  const ours = ourNodes(engine)
  const volatile = volatilePaths(engine)
  for (const { node } of odkNodes(root)) {
    if (node.nodeType.startsWith('repeat-range') || node.nodeType === 'root') continue
    const ref = node.currentState.reference
    const mine = ours.get(ref)
    if (!mine) {
      out.push({ aspect: 'structure', ref, ours: 'missing', theirs: node.nodeType })
      continue
    }
    const relevant = engine.isRelevant(mine)
    if (relevant !== node.currentState.relevant) out.push({ aspect: 'relevant', ref, ours: String(relevant), theirs: String(node.currentState.relevant) })
    // A non-relevant question has no required, validity or value state in a submission.
    if (relevant && node.currentState.relevant && leafTypes.has(node.nodeType)) compareLeaf(engine, node, mine, volatile, out)
  }
  const names = [...volatile].map((path) => path.slice(path.lastIndexOf('/') + 1))
  const ourXml = maskElements(canonicalXml(serializeInstance(engine)), names)
  const theirXml = maskElements(canonicalXml(root.instanceState.instanceXML), names)
  if (ourXml !== theirXml) out.push({ aspect: 'xml', ref: firstDifference(ourXml, theirXml), ours: ourXml, theirs: theirXml })
  return out
}

function maskElements(xml: string, names: string[]): string {
  return names.reduce((text, name) => text.split(new RegExp(`<${name}>[^<]*</${name}>`)).join(`<${name}/>`), xml)
}

/** The path-ish context where two serialisations first differ, to classify xml mismatches. */
function firstDifference(a: string, b: string): string {
  let i = 0
  while (i < a.length && a[i] === b[i]) i++
  const before = a.slice(0, i)
  const open = before.match(/<([\w:.-]+)[^<>/]*>(?=[^]*$)/g) ?? []
  return `${open.slice(-2).join('')}@${i}`
}
