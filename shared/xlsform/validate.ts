import type { Build } from './build-context'
import { isSection, walk, type FormNode, type QuestionNode, type SectionNode } from './form-model'
import { yesNo } from './settings'
import { similarText } from './sheets'

const uniqueRule =
  'Questions, groups, and repeats must be unique within their nearest parent group or repeat, or the survey if not inside a group or repeat.'

function at(node: FormNode, column = 'name'): { sheet: string; row: number; column: string } {
  return { sheet: 'survey', row: node.row.row, column: node.row.headers[column] ?? column }
}

function checkSiblings(build: Build, section: SectionNode): void {
  const seen = new Set<string>()
  for (const child of section.children) {
    const key = child.name
    if (key === 'meta' && !child.generated)
      build.diags.error(
        `On the 'survey' sheet, the 'name' value 'meta' is invalid. The name 'meta' is reserved for form metadata.`,
        at(child),
      )
    // The generated meta block clashes only with a user 'meta', already reported above.
    else if (seen.has(key) && !(child.generated && key === 'meta'))
      build.diags.error(
        child.generated
          ? `On the 'survey' sheet, the 'name' value '${child.name}' is invalid. ${uniqueRule} This repeat_count needs an element named '${child.name}'; rename the question that has that name.`
          : `On the 'survey' sheet, the 'name' value '${child.name}' is invalid. ${uniqueRule}`,
        at(child),
      )
    seen.add(key)
  }
}

function checkRepeats(build: Build): void {
  const repeats = new Set<string>()
  for (const node of walk(build.root)) {
    if (node.kind !== 'repeat') continue
    if (!node.row.text.label)
      build.diags.warn('Repeat has no label', {
        sheet: 'survey',
        row: node.row.row,
        column: 'label',
      })
    if (node.name === build.root.name)
      build.diags.error(
        `On the 'survey' sheet, the 'name' value '${node.name}' is invalid. Repeat names must not be the same as the survey root (which defaults to 'data').`,
        at(node),
      )
    else if (repeats.has(node.name))
      build.diags.error(
        `On the 'survey' sheet, the 'name' value '${node.name}' is invalid. Repeat names must unique anywhere in the survey, at all levels of group or repeat nesting.`,
        at(node),
      )
    repeats.add(node.name)
  }
}

function checkQuestion(build: Build, node: FormNode): void {
  if (isSection(node) || node.generated) return
  const text = node.row.text
  const hasLabel =
    node.row.values.media !== undefined ||
    text.label !== undefined ||
    text.hint !== undefined ||
    Object.keys(text).some((k) => k.startsWith('media::'))
  const computed =
    node.row.values['bind::calculate'] !== undefined || node.row.values.trigger !== undefined
  if (!hasLabel && !computed && node.def.control !== undefined && !node.def.labelOptional)
    build.diags.error(
      `The survey element named '${node.name}' has no label or hint.`,
      at(node, 'label'),
    )
  if (node.externalList !== undefined) {
    if (!build.externalChoices)
      build.diags.error(
        `There should be an external_choices sheet in this xlsform. Please ensure that the external_choices sheet has the mandatory columns 'list_name', 'name', and 'label'.${similarText(build.similarSheets?.external_choices)}`,
        at(node, 'type'),
      )
    else if (!build.externalChoices.has(node.externalList))
      build.diags.error(
        `List name not in external choices sheet: ${node.externalList}`,
        at(node, 'type'),
      )
  }
  if (text['media::big-image'] && !text['media::image'])
    build.diags.error(
      "To use big-image, you must also specify an image for the survey element named '" +
        node.name +
        "'.",
      at(node, 'media::big-image'),
    )
  if (node.select?.orOther && node.row.values.choice_filter !== undefined)
    build.diags.error('Choice filter not supported with or_other.', at(node, 'choice_filter'))
  if (node.select?.fromFile && /search\s*\(/.test(node.row.values['control::appearance'] ?? ''))
    build.diags.error(
      `Question '${node.name}' is a select from file type, using 'search()'. This combination is not supported. Remove the 'search()' usage, or change the select type.`,
      at(node, 'control::appearance'),
    )
  if (node.type === 'simserial' || node.type === 'subscriberid')
    build.diags.warn(
      `${node.type} is no longer supported on most devices. Only old versions of Collect on Android versions older than 11 still support it.`,
      at(node, 'type'),
    )
  if (node.type === 'image' && !/max-pixels/i.test(node.row.values.parameters ?? ''))
    build.diags.warn(
      'Use the max-pixels parameter to speed up submission sending and save storage space. Learn more: https://xlsform.org/#image',
      at(node, 'parameters'),
    )
  const select = node.select
  if (
    select &&
    !select.fromFile &&
    !select.listName.startsWith('${') &&
    !build.choices.has(select.listName)
  ) {
    if (build.choices.size === 0)
      build.diags.error(
        `There should be a choices sheet in this xlsform. Please ensure that the choices sheet has the mandatory columns 'list_name', 'name', and 'label'.${similarText(build.similarSheets?.choices)}`,
        at(node, 'type'),
      )
    else build.diags.error(`List name not in choices sheet: ${select.listName}`, at(node, 'type'))
  }
}

function checkChoices(build: Build): void {
  if (yesNo(build.settings.allow_choice_duplicates) === true) return
  for (const list of build.choices.values()) {
    const seen = new Set<string>()
    for (const c of list.choices) {
      if (seen.has(c.name))
        build.diags.error(
          "On the 'choices' sheet, the 'name' value is invalid. Choice names must be unique for each choice list. If this is intentional, use the setting 'allow_choice_duplicates'. Learn more: https://xlsform.org/#choice-names.",
          { sheet: 'choices', row: c.row.row, column: 'name' },
        )
      seen.add(c.name)
    }
  }
}

/** A list shown by search() is inline in that question, so no other select may reuse it. */
function checkSearchLists(build: Build): void {
  const plain = new Set<string>()
  const search: QuestionNode[] = []
  for (const node of walk(build.root)) {
    if (node.kind !== 'question' || !node.select || node.select.fromFile) continue
    if (/search\s*\(/.test(node.row.values['control::appearance'] ?? '')) search.push(node)
    else plain.add(node.select.listName)
  }
  for (const q of search)
    if (q.select && plain.has(q.select.listName))
      build.diags.error(
        `Question '${q.name}' uses 'search()', and its select type references the choice list name '${q.select.listName}'. This choice list name is referenced by at least one other question that is not using 'search()', which will not work. Please either: use a different choice list for the other questions, or remove 'search()' from this question.`,
        at(q, 'type'),
      )
}

/** Structural checks that need the whole tree: names, labels, choice lists. */
export function validateForm(build: Build): void {
  for (const node of walk(build.root)) {
    if (isSection(node)) checkSiblings(build, node)
    checkQuestion(build, node)
  }
  checkRepeats(build)
  checkChoices(build)
  checkSearchLists(build)
}
