import { readRows, type FormRow } from './columns'
import type { Build } from './build-context'
import { emptyRow, walk, type FormNode, type QuestionNode, type SectionNode } from './form-model'
import { namePattern, nameRule } from './survey-tree'
import type { Sheet } from './workbook'

/** One row of the entities sheet. */
export type EntityDecl = {
  row: FormRow
  listName: string
  label?: string
  createIf?: string
  updateIf?: string
  entityId?: string
  container?: SectionNode
  node?: SectionNode
}

const allowedColumns = new Set([
  'list_name',
  'dataset',
  'label',
  'create_if',
  'update_if',
  'entity_id',
])
const refPattern = /\$\{(?:last-saved#)?([^}]*)\}/g

function entityError(build: Build, row: number, column: string, message: string): void {
  build.diags.error(
    `On the 'entities' sheet, ${column === '' ? 'the entity declaration is invalid' : `the '${column}' value is invalid`}. ${message}`,
    {
      sheet: 'entities',
      row,
      column: column || undefined,
    },
  )
}

export function readEntities(build: Build, sheet: Sheet | undefined): EntityDecl[] {
  if (!sheet) return []
  const unknown = sheet.headers.filter((h) => !allowedColumns.has(h.trim().toLowerCase()))
  if (unknown.length > 0)
    build.diags.error(
      `On the 'entities' sheet, one or more column names are invalid. The following column(s) are not supported by this version of Outpost: ${unknown.map((u) => `'${u}'`).join(', ')}.`,
      { sheet: 'entities', row: 1 },
    )
  const decls: EntityDecl[] = []
  const seen = new Set<string>()
  for (const row of readRows(sheet, 'default')) {
    const v = row.values
    const listName = v.list_name ?? v.dataset
    if (listName === undefined) {
      entityError(build, row.row, 'list_name', 'Entity lists must have a name.')
      continue
    }
    if (!namePattern.test(listName)) entityError(build, row.row, 'dataset', nameRule)
    else if (listName.includes('.'))
      entityError(build, row.row, 'dataset', 'Names used here must not contain a period.')
    else if (listName.startsWith('__'))
      entityError(build, row.row, 'dataset', 'Names used here must not begin with two underscores.')
    if (seen.has(listName))
      entityError(
        build,
        row.row,
        'list_name',
        "The 'list_name' column must not have any duplicate names.",
      )
    seen.add(listName)
    const label = row.text.label?.default
    decls.push({
      row,
      listName,
      label,
      createIf: v.create_if,
      updateIf: v.update_if,
      entityId: v.entity_id,
    })
  }
  for (const d of decls) checkModes(build, d)
  return decls
}

function checkModes(build: Build, d: EntityDecl): void {
  const updating = d.entityId !== undefined || d.updateIf !== undefined
  const name = d.listName
  if (d.entityId === undefined && d.label === undefined)
    entityError(
      build,
      d.row.row,
      '',
      `The entity list name '${name}' does not have a label, but a 'label' is required when creating entities. Creating entities is indicated by using a 'create_if' expression, or by not using 'entity_id' expression. Please either: add a 'label' for this entity declaration, or remove the 'create_if' expression.`,
    )
  if (updating && d.entityId === undefined)
    entityError(
      build,
      d.row.row,
      '',
      `The entity list name '${name}' does not have an 'entity_id' expression, but an 'entity_id' is required when updating entities. Updating entities is indicated by using 'entity_id' and/or 'update_if' expressions. Please either: add an 'entity_id' for this entity declaration, or remove the 'update_if' expression.`,
    )
  if (d.createIf !== undefined && d.entityId !== undefined && d.updateIf === undefined)
    entityError(
      build,
      d.row.row,
      '',
      `The entity list name '${name}' does not have an 'update_if' expression, but an 'update_if' is required when upserting entities. Upserting entities is indicated by using 'create_if' and 'entity_id' expressions. Please either: add an 'update_if' for this entity declaration, or remove the 'create_if' expression.`,
    )
}

/** The entity's scope: its nearest repeat, or the survey. */
export function scopeOf(node: FormNode): SectionNode {
  let cur = node.parent
  while (cur && cur.kind !== 'repeat' && cur.kind !== 'survey') cur = cur.parent
  return cur ?? (node as SectionNode)
}

export function scopeName(build: Build, scope: SectionNode): string {
  const names: string[] = []
  for (let cur: SectionNode | undefined = scope; cur && cur.kind !== 'survey'; cur = cur.parent)
    if (cur.kind === 'repeat') names.unshift(cur.name)
  return ['/survey', ...names].join('/')
}

export function isAncestor(a: SectionNode, b: FormNode): boolean {
  for (let cur = b.parent; cur; cur = cur.parent) if (cur === a) return true
  return false
}

/** The questions an entity declaration refers to with `${…}`. */
export function variableRefs(build: Build, d: EntityDecl): { node: FormNode; column: string }[] {
  const out: { node: FormNode; column: string }[] = []
  for (const [column, text] of [
    ['label', d.label],
    ['create_if', d.createIf],
    ['update_if', d.updateIf],
    ['entity_id', d.entityId],
  ] as const) {
    for (const m of (text ?? '').matchAll(refPattern)) {
      const node = build.refs.byName.get((m[1] ?? '').trim())?.[0]
      if (node) out.push({ node, column })
    }
  }
  return out
}

export function validEntityPropertyName(build: Build, q: QuestionNode, prop: string): boolean {
  const fail = (m: string): boolean => {
    build.diags.error(`On the 'survey' sheet, the 'save_to' value is invalid. ${m}`, {
      sheet: 'survey',
      row: q.row.row,
      column: 'save_to',
    })
    return false
  }
  if (!namePattern.test(prop)) return fail(nameRule)
  if (/^(name|label)$/i.test(prop))
    return fail("Names used here must not be 'name' or 'label' (case-insensitive).")
  if (prop.startsWith('__')) return fail('Names used here must not begin with two underscores.')
  return true
}

export function entityMetaGroup(container: SectionNode): SectionNode {
  const existing = container.children.find(
    (c): c is SectionNode => c.kind === 'group' && c.name === 'meta' && c.generated === true,
  )
  if (existing) return existing
  const meta: SectionNode = {
    kind: 'group',
    name: 'meta',
    row: emptyRow('entities', 0),
    path: '',
    parent: container,
    children: [],
    generated: true,
  }
  container.children.push(meta)
  return meta
}

export function allQuestions(build: Build): QuestionNode[] {
  return [...walk(build.root)].filter(
    (n): n is QuestionNode => n.kind === 'question' && !n.generated,
  )
}
