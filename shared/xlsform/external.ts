import type { Build } from './build-context'
import { walk, type QuestionNode } from './form-model'
import { el } from './xml-node'

type InstanceSource = { type: string; src?: string; context: string }

const sources = new WeakMap<Build, Map<string, InstanceSource>>()

function contextOf(q: QuestionNode): string {
  const p = q.parent
  return p.kind === 'survey' ? 'survey' : `[type: ${p.kind}, name: ${p.name}]`
}

/** Adds a secondary instance once; one id with two different sources is an error, as in pyxform. */
export function registerInstance(
  build: Build,
  id: string,
  src: string | undefined,
  type: string,
  q: QuestionNode,
): void {
  let known = sources.get(build)
  if (!known) {
    known = new Map()
    sources.set(build, known)
  }
  const existing = known.get(id)
  if (existing) {
    if (existing.src !== src)
      build.diags.error(
        `Instance name: '${id}', Existing type: '${existing.type}', Existing URI: '${existing.src ?? 'None'}', Duplicate type: '${type}', Duplicate URI: '${src ?? 'None'}', Duplicate context: '${contextOf(q)}'.`,
        { sheet: 'survey', row: q.row.row },
      )
    return
  }
  known.set(id, { type, src, context: contextOf(q) })
  if (src !== undefined) build.instances.set(id, el('instance', { id, src }))
}

function known(build: Build): Map<string, InstanceSource> {
  let map = sources.get(build)
  if (!map) sources.set(build, (map = new Map<string, InstanceSource>()))
  return map
}

const fileSrc: Record<string, string> = {
  csv: 'jr://file-csv/',
  xml: 'jr://file/',
  geojson: 'jr://file/',
}

/** `select_one_from_file cities.csv`: the instance id is the file's stem. */
export function fromFileInstance(build: Build, q: QuestionNode, file: string): string | undefined {
  const m = /^(.+)\.(csv|xml|geojson)$/i.exec(file)
  if (!m) {
    build.diags.error(
      `File name for '${q.row.values.type ?? ''}' should end with one of the supported file extensions: .csv, .xml, .geojson`,
      { sheet: 'survey', row: q.row.row, column: 'type' },
    )
    return undefined
  }
  const id = m[1] ?? file
  registerInstance(
    build,
    id,
    `${fileSrc[(m[2] ?? '').toLowerCase()] ?? 'jr://file/'}${file}`,
    'file',
    q,
  )
  return id
}

const pulldataPattern = /pulldata\s*\(\s*["']([^"']+)["']/g

/** xml-external, csv-external and every pulldata('file', …) in an expression column add instances. */
export function externalInstances(build: Build): void {
  const externals = new Map<string, QuestionNode[]>()
  for (const node of walk(build.root)) {
    if (node.kind !== 'question') continue
    if (node.select?.fromFile) fromFileInstance(build, node, node.select.listName)
    if (node.type === 'xml-external' || node.type === 'csv-external') {
      externals.set(node.name, [...(externals.get(node.name) ?? []), node])
      const src =
        node.type === 'xml-external'
          ? `jr://file/${node.name}.xml`
          : `jr://file-csv/${node.name}.csv`
      registerInstance(build, node.name, src, 'external', node)
    }
    for (const [key, value] of Object.entries(node.row.values)) {
      if (key === 'type' || key === 'name' || !value.includes('pulldata')) continue
      for (const m of value.matchAll(pulldataPattern))
        registerInstance(build, m[1] ?? '', `jr://file-csv/${m[1] ?? ''}.csv`, 'pulldata', node)
    }
  }
  checkClashes(build, externals)
}

/** One instance id may not stand for a choice list and a file, nor for two external questions. */
function checkClashes(build: Build, externals: Map<string, QuestionNode[]>): void {
  for (const node of walk(build.root)) {
    if (node.kind !== 'question' || !node.select || node.select.fromFile) continue
    const file = known(build).get(node.select.listName)
    if (file && build.choices.has(node.select.listName))
      build.diags.error(
        `Instance name: '${node.select.listName}', Existing type: '${file.type}', Existing URI: '${file.src ?? 'None'}', Duplicate type: 'choice', Duplicate URI: 'None', Duplicate context: '${contextOf(node)}'.`,
        { sheet: 'survey', row: node.row.row, column: 'type' },
      )
  }
  for (const name of build.entityLists)
    if (known(build).has(name) && build.choices.has(name))
      build.diags.error(
        `The same instance id will be generated for different external instance source URIs. Please check the form. Instance name: '${name}' is a choice list, an entity list and an external file.`,
        { sheet: 'choices' },
      )
  for (const [name, nodes] of externals)
    if (nodes.length > 1)
      build.diags.error(
        `Instance names must be unique within a form. The name '${name}' was found ${nodes.length} time(s), under the 'name' column of the survey sheet.`,
        { sheet: 'survey', row: nodes[nodes.length - 1]?.row.row, column: 'name' },
      )
}
