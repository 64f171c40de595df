import type { Build } from './build-context'
import type { FormRow } from './columns'
import { isSection, walk, type FormNode, type SectionNode } from './form-model'

function substitute(row: FormRow, labels: Record<string, string>): FormRow {
  const text: Record<string, Record<string, string>> = {}
  for (const [key, byLang] of Object.entries(row.text)) {
    const out: Record<string, string> = {}
    for (const [lang, value] of Object.entries(byLang))
      out[lang] = value.replace(/%\(label\)s/g, labels[lang] ?? labels.default ?? '')
    text[key] = out
  }
  return { ...row, values: { ...row.values }, text }
}

/** Copies a loop's element; only the loop's direct children get `%(label)s` filled in, as pyxform. */
function clone(node: FormNode, parent: SectionNode, labels?: Record<string, string>): FormNode {
  const row = labels ? substitute(node.row, labels) : { ...node.row }
  if (!isSection(node)) return { ...node, row, parent }
  const copy: SectionNode = { ...node, row, parent, children: [] }
  copy.children = node.children.map((c) => clone(c, copy))
  return copy
}

/** `begin loop over LIST`: one group per choice, each holding a copy of the loop's questions. */
export function expandLoops(build: Build): void {
  const loops = [...walk(build.root)].filter(
    (n): n is SectionNode => isSection(n) && n.loopList !== undefined,
  )
  for (const loop of loops) {
    const list = build.choices.get(loop.loopList ?? '')
    if (!list) {
      build.diags.error(
        `The loop '${loop.name}' goes over the choice list '${loop.loopList ?? ''}', which is not on the choices sheet.`,
        {
          sheet: 'survey',
          row: loop.row.row,
          column: 'type',
        },
      )
      continue
    }
    const body = loop.children
    loop.children = list.choices.map((choice) => {
      const labels = choice.row.text.label ?? {}
      const group: SectionNode = {
        kind: 'group',
        name: choice.name,
        row: {
          ...choice.row,
          sheet: 'survey',
          values: {},
          text: { label: { ...labels } },
          headers: {},
        },
        path: '',
        parent: loop,
        children: [],
      }
      group.children = body.map((c) => clone(c, group, labels))
      return group
    })
  }
}
