import type { Build } from './build-context'
import { isSection, type FormNode, type QuestionNode, type SectionNode } from './form-model'
import type { XmlNode } from './xml-node'

/** Text by language (`default` when the column named none). */
export type Texts = Record<string, string>

export type FormField = {
  kind: 'question'
  name: string
  path: string
  /** The XLSForm type (`integer`, `select_one`, `geopoint`, …). */
  type: string
  /** The XForm data type from the bind (`int`, `string`, `geopoint`, …). */
  dataType?: string
  label?: Texts
  hint?: Texts
  appearance?: string
  choiceList?: string
  choiceFilter?: string
  /** Bind attributes as written in the XForm (relevant, required, constraint, calculate, …). */
  bind: Record<string, string>
  default?: string
  parameters?: string
}

export type FormSection = {
  kind: 'group' | 'repeat'
  name: string
  path: string
  label?: Texts
  appearance?: string
  bind: Record<string, string>
  repeatCount?: string
  children: FormItem[]
}

export type FormItem = FormField | FormSection

export type FormChoice = {
  name: string
  label?: Texts
  media?: Record<string, Texts>
  extra: Record<string, string>
}

/** The compiled form as typed JSON: the same structure the XForm carries, easier to inspect. */
export type FormDefinition = {
  id: string
  version?: string
  title: string
  root: string
  settings: Record<string, string>
  items: FormItem[]
  choices: Record<string, FormChoice[]>
}

function bindsByPath(nodes: XmlNode[]): Map<string, Record<string, string>> {
  const map = new Map<string, Record<string, string>>()
  for (const n of nodes) {
    const { nodeset, ...rest } = n.attrs
    if (nodeset !== undefined) map.set(nodeset, rest)
  }
  return map
}

function item(node: FormNode, binds: Map<string, Record<string, string>>): FormItem | undefined {
  const v = node.row.values
  const bind = binds.get(node.path) ?? {}
  if (isSection(node)) return section(node, binds)
  if (node.generated && node.parent.generated) return undefined
  const q: QuestionNode = node
  const { type: dataType, ...rest } = bind
  return {
    kind: 'question',
    name: q.name,
    path: q.path,
    type: q.select?.type ?? q.type,
    dataType,
    label: q.row.text.label,
    hint: q.row.text.hint,
    appearance: v['control::appearance'],
    choiceList: q.select?.listName ?? q.externalList,
    choiceFilter: v.choice_filter,
    bind: rest,
    default: v.default,
    parameters: v.parameters,
  }
}

function section(
  node: SectionNode,
  binds: Map<string, Record<string, string>>,
): FormSection | undefined {
  if (node.kind === 'survey' || node.generated) return undefined
  return {
    kind: node.kind,
    name: node.name,
    path: node.path,
    label: node.row.text.label,
    appearance: node.row.values['control::appearance'],
    bind: binds.get(node.path) ?? {},
    repeatCount: node.row.values['control::jr:count'],
    children: node.children.map((c) => item(c, binds)).filter((c) => c !== undefined),
  }
}

export function formDefinition(build: Build, title: string, bindNodes: XmlNode[]): FormDefinition {
  const binds = bindsByPath(bindNodes)
  const choices: Record<string, FormChoice[]> = {}
  for (const list of build.choices.values())
    choices[list.name] = list.choices.map((c) => {
      const media: Record<string, Texts> = {}
      for (const [k, t] of Object.entries(c.row.text))
        if (k.startsWith('media::')) media[k.slice(7)] = t
      return {
        name: c.name,
        label: c.row.text.label,
        media: Object.keys(media).length ? media : undefined,
        extra: c.extra,
      }
    })
  return {
    id: build.settings.form_id ?? 'data',
    version: build.settings.version,
    title,
    root: build.root.name,
    settings: build.settings,
    items: build.root.children.map((c) => item(c, binds)).filter((c) => c !== undefined),
    choices,
  }
}
