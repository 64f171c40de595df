import type { FormRow } from './columns'
import type { Diagnostics } from './diagnostics'
import { emptyRow, type FormNode, type QuestionNode, type SectionNode } from './form-model'
import { parseType, questionTypes } from './question-types'

/** XML element names as pyxform accepts them (letters may be any script). */
export const namePattern = /^[\p{L}_][\p{L}\p{N}_\-.]*$/u
const nameRule =
  'Names must begin with a letter or underscore. After the first character, names may contain letters, digits, underscores, hyphens, or periods.'

type Ctx = { diags: Diagnostics; stack: SectionNode[] }

/** Turns the survey rows into the nested tree of groups, repeats and questions. */
export function buildSurveyTree(
  rootName: string,
  rows: FormRow[],
  diags: Diagnostics,
): SectionNode {
  const root: SectionNode = {
    kind: 'survey',
    name: rootName,
    row: emptyRow('survey', 1),
    path: `/${rootName}`,
    children: [],
  }
  const ctx: Ctx = { diags, stack: [root] }
  for (const row of rows) addRow(ctx, row)
  for (const open of ctx.stack.slice(1).reverse()) {
    const word = open.kind === 'repeat' ? 'repeat' : 'group'
    diags.error(
      `Unmatched 'begin_${word}'. No matching 'end_${word}' was found for the name '${open.name}'.`,
      { sheet: 'survey', row: open.row.row, column: 'type' },
    )
  }
  return root
}

function addRow(ctx: Ctx, row: FormRow): void {
  const typeText = row.values.type
  const parent = ctx.stack[ctx.stack.length - 1]
  if (!parent) return
  if (!typeText) {
    if (row.values.name !== undefined || row.text.label !== undefined)
      ctx.diags.error(
        `The question '${row.values.name ?? ''}' has no type; fill in the type column.`,
        {
          sheet: 'survey',
          row: row.row,
          column: 'type',
        },
      )
    return
  }
  const parsed = parseType(typeText)
  const at = { sheet: 'survey', row: row.row, column: 'type' }
  switch (parsed.kind) {
    case 'end':
      return closeSection(ctx, row, parsed.section)
    case 'begin':
    case 'begin_loop': {
      const section: SectionNode = {
        kind: parsed.kind === 'begin' ? parsed.section : 'group',
        name: checkedName(ctx, row),
        row,
        path: '',
        parent,
        children: [],
      }
      if (parsed.kind === 'begin_loop') section.loopList = parsed.listName
      parent.children.push(section)
      ctx.stack.push(section)
      return
    }
    case 'unknown':
      ctx.diags.error(`Unknown question type '${parsed.type}'.`, at)
      return
    default:
      parent.children.push(makeQuestion(ctx, row, parent, parsed))
  }
}

function makeQuestion(
  ctx: Ctx,
  row: FormRow,
  parent: SectionNode,
  parsed: Exclude<
    ReturnType<typeof parseType>,
    { kind: 'end' | 'begin' | 'begin_loop' | 'unknown' }
  >,
): QuestionNode {
  const type =
    parsed.kind === 'question'
      ? parsed.type
      : parsed.kind === 'select'
        ? parsed.type
        : parsed.kind === 'osm'
          ? 'osm'
          : 'select_one_external'
  const def = questionTypes[type] ?? {}
  const q: QuestionNode = {
    kind: 'question',
    name: checkedName(ctx, row),
    type,
    def,
    row,
    path: '',
    parent,
  }
  if (parsed.kind === 'select') {
    q.select = {
      type: parsed.type,
      listName: parsed.listName,
      orOther: parsed.orOther,
      fromFile: parsed.fromFile,
    }
  } else if (parsed.kind === 'select_external') q.externalList = parsed.listName
  else if (parsed.kind === 'osm') q.osmList = parsed.listName
  return q
}

function checkedName(ctx: Ctx, row: FormRow): string {
  const type = row.values.type?.trim().toLowerCase()
  // Unnamed audits are `audit`; unnamed notes get pyxform's generated name so old forms still load.
  const name =
    row.values.name ??
    (type === 'audit' ? 'audit' : type === 'note' ? `generated_note_name_${row.row}` : undefined)
  const at = { sheet: 'survey', row: row.row, column: row.headers.name ?? 'name' }
  if (name === undefined) {
    ctx.diags.error('Question or group with no name.', at)
    return `_row_${row.row}`
  }
  if (!namePattern.test(name)) {
    ctx.diags.error(`On the 'survey' sheet, the 'name' value is invalid. ${nameRule}`, at)
  }
  return name
}

function closeSection(ctx: Ctx, row: FormRow, word: 'group' | 'repeat' | 'loop'): void {
  const top = ctx.stack[ctx.stack.length - 1]
  const matches =
    top !== undefined &&
    top.kind !== 'survey' &&
    (word === 'loop' ? top.loopList !== undefined : top.kind === word && top.loopList === undefined)
  if (!matches || !top) {
    const name = row.values.name ?? 'unknown'
    ctx.diags.error(
      `Unmatched 'end_${word}'. No matching 'begin_${word}' was found for the name '${name}'.`,
      {
        sheet: 'survey',
        row: row.row,
        column: 'type',
      },
    )
    return
  }
  ctx.stack.pop()
}

/** Fills in every node's XPath once the tree is complete. */
export function assignPaths(node: FormNode, parentPath: string): void {
  const flat = node.kind === 'group' && node.flat === true
  node.path =
    node.kind === 'survey' ? `/${node.name}` : flat ? parentPath : `${parentPath}/${node.name}`
  if (node.kind !== 'question') for (const child of node.children) assignPaths(child, node.path)
}

export { nameRule }
export type { QuestionNode, SectionNode }
