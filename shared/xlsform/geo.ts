import type { Build } from './build-context'
import { ensureChoiceInstance, itemset } from './emit-choices'
import type { QuestionNode } from './form-model'
import { paramError, readParameters } from './parameters'
import { el, type XmlNode } from './xml-node'
import { exprSite } from './emit-binds'
import { resolveExpression } from './references'

const geoKeys = [
  'allow-mock-accuracy',
  'capture-accuracy',
  'reference-geometry',
  'warning-accuracy',
]

const referenceRule =
  "The 'reference-geometry' parameter must either match a secondary instance name (a choices list_name, an entities list_name, or the base name of an attached file), or be a reference variable containing the name of a repeat."

/** Parameters of geopoint, geotrace and geoshape: accuracy thresholds, incremental, reference geometry. */
export function geoControl(
  build: Build,
  q: QuestionNode,
  attrs: Record<string, string | undefined>,
): XmlNode[] {
  const shape = q.type === 'geotrace' || q.type === 'geoshape'
  const keys = shape ? ['allow-mock-accuracy', 'incremental', 'reference-geometry'] : geoKeys
  const params = readParameters(build.diags, q, keys)
  if (!params) return []
  if (params.incremental !== undefined) {
    if (/^(true|yes|true\(\))$/i.test(params.incremental)) attrs.incremental = 'true'
    else
      paramError(
        build.diags,
        q,
        "For geoshape and geotrace questions, the 'incremental' parameter may either be 'true' or not included.",
      )
  }
  for (const [key, attr] of [
    ['capture-accuracy', 'accuracyThreshold'],
    ['warning-accuracy', 'unacceptableAccuracyThreshold'],
  ] as const) {
    const v = params[key]
    if (v === undefined) continue
    if (/^-?(\d+\.?\d*|\.\d+)$/.test(v)) attrs[attr] = v
    else paramError(build.diags, q, `The '${key}' parameter must have a numeric value.`)
  }
  if (params['allow-mock-accuracy'] !== undefined) {
    if (/^(true|yes)$/i.test(params['allow-mock-accuracy']))
      build.bindExtras.set(q.path, {
        ...build.bindExtras.get(q.path),
        'odk:allow-mock-accuracy': 'true',
      })
    else if (!/^(false|no)$/i.test(params['allow-mock-accuracy']))
      paramError(
        build.diags,
        q,
        "Invalid value for allow-mock-accuracy. Accepted values: 'true', 'false'.",
      )
  }
  const ref = params['reference-geometry']
  return ref === undefined ? [] : referenceItemset(build, q, ref)
}

function referenceItemset(build: Build, q: QuestionNode, ref: string): XmlNode[] {
  const repeat = /^\$\{([^}]+)\}$/.exec(ref.trim())
  if (repeat) {
    const nodes = build.refs.byName.get(repeat[1] ?? '')
    const node = nodes?.[0]
    if (!node || node.kind !== 'repeat') {
      paramError(build.diags, q, referenceRule)
      return []
    }
    return [
      el(
        'itemset',
        { nodeset: `${node.path}[${repeatFilter(build, q, node.path) ?? "./geometry != ''"}]` },
        [el('value', { ref: 'geometry' }), el('label', { ref: 'geometry' })],
      ),
    ]
  }
  const list = build.choices.get(ref)
  if (list) {
    ensureChoiceInstance(build, list, false)
    return [itemset(build, q, list.name, {}, list.usesItext)]
  }
  if (externalNames(build).has(ref)) return [itemset(build, q, ref, {}, false)]
  paramError(build.diags, q, referenceRule)
  return []
}

/** Secondary instances a reference geometry may name: entity lists, external files, file selects. */
function externalNames(build: Build): Set<string> {
  const names = new Set<string>(build.entityLists)
  for (const nodes of build.refs.byName.values())
    for (const n of nodes) {
      if (n.kind !== 'question') continue
      if (n.type === 'csv-external' || n.type === 'xml-external') names.add(n.name)
      if (n.select?.fromFile) names.add(n.select.listName.replace(/\.[^.]+$/, ''))
    }
  return names
}

/** A choice_filter over a repeat: references to the repeat's own questions become `./name`. */
function repeatFilter(build: Build, q: QuestionNode, repeatPath: string): string | undefined {
  const filter = q.row.values.choice_filter
  if (filter === undefined) return undefined
  const local = filter.replace(/\$\{([^}]+)\}/g, (whole, n: string) => {
    const target = build.refs.byName.get(n.trim())?.[0]
    return target?.path.startsWith(`${repeatPath}/`)
      ? ` ./${target.path.slice(repeatPath.length + 1)} `
      : whole
  })
  const site = { ...exprSite(q, 'choice_filter'), inPredicate: true }
  return resolveExpression(build.refs, local, site)
}
