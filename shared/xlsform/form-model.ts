import type { FormRow } from './columns'
import type { TypeDef } from './question-types'

/** A select question's choice source. */
export type SelectSpec = {
  type: 'select_one' | 'select_multiple' | 'rank'
  listName: string
  orOther: boolean
  fromFile: boolean
}

export type QuestionNode = {
  kind: 'question'
  name: string
  type: string
  def: TypeDef
  row: FormRow
  path: string
  parent: SectionNode
  select?: SelectSpec
  externalList?: string
  /** `osm LIST`: the OpenStreetMap tags offered, from the osm sheet. */
  osmList?: string
  /** Elements pyxform generates (or_other's `_other`, repeat counts) carry the row they came from. */
  generated?: boolean
}

export type SectionNode = {
  kind: 'survey' | 'group' | 'repeat'
  name: string
  row: FormRow
  path: string
  parent?: SectionNode
  children: FormNode[]
  /** `begin loop over LIST`: the group repeats its children once per choice. */
  loopList?: string
  /** The generated `<name>_count` calculate that a computed repeat_count points at. */
  countNode?: QuestionNode
  /** Attributes of the instance element (the entity element's dataset, id, create, …). */
  instanceAttrs?: Record<string, string>
  generated?: boolean
  /** settings `flat`: the group shows on screen but adds no level to the data. */
  flat?: boolean
}

export type FormNode = QuestionNode | SectionNode

export function isSection(node: FormNode): node is SectionNode {
  return node.kind !== 'question'
}

export function* walk(node: FormNode): Generator<FormNode> {
  yield node
  if (isSection(node)) for (const child of node.children) yield* walk(child)
}

/** The nearest enclosing repeat (the node itself counts when it is a repeat). */
export function nearestRepeat(node: FormNode): SectionNode | undefined {
  let cur: FormNode | undefined = node
  while (cur) {
    if (cur.kind === 'repeat') return cur
    cur = cur.parent
  }
  return undefined
}

export function emptyRow(sheet: string, row: number): FormRow {
  return { row, sheet, values: {}, text: {}, headers: {} }
}
