import type { Build } from './build-context'
import { walk, type QuestionNode, type SectionNode } from './form-model'
import { questionTypes } from './question-types'

/** A labelled table-list shows its label and hint as a note above the table, as pyxform does. */
function labelNote(group: SectionNode): QuestionNode | undefined {
  const { label, hint } = group.row.text
  if (!label) return undefined
  const text: Record<string, Record<string, string>> = hint ? { label, hint } : { label }
  const row = { ...group.row, values: {}, text, headers: {} }
  group.row = { ...group.row, text: {} }
  const def = questionTypes.note ?? {}
  return {
    kind: 'question',
    name: `generated_table_list_label_${group.row.row}`,
    type: 'note',
    def,
    row,
    path: '',
    parent: group,
    generated: true,
  }
}

/**
 * `table-list` groups become a field-list whose first row is a label-only select, and whose
 * selects hide their own labels: the layout pyxform generates for ODK Collect.
 */
export function expandTableLists(build: Build): void {
  const groups = [...walk(build.root)].filter(
    (n): n is SectionNode =>
      n.kind === 'group' && (n.row.values['control::appearance'] ?? '').trim() === 'table-list',
  )
  for (const group of groups) {
    const selects = group.children.filter(
      (c): c is QuestionNode => c.kind === 'question' && c.select !== undefined,
    )
    const first = selects[0]
    if (!first) continue
    group.row.values['control::appearance'] = 'field-list'
    const note = labelNote(group)
    const values: Record<string, string> = { ...first.row.values, 'control::appearance': 'label' }
    const labelRow = { ...first.row, values, text: { label: { default: '' } } }
    const header: QuestionNode = {
      ...first,
      name: `reserved_name_for_field_list_labels_${first.row.row}`,
      row: labelRow,
      generated: true,
    }
    delete values['bind::required']
    for (const s of selects) s.row.values['control::appearance'] = 'list-nolabel'
    group.children.unshift(header)
    if (note) group.children.unshift(note)
  }
}
