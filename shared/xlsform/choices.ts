import { readRows, type FormRow } from './columns'
import type { Diagnostics } from './diagnostics'
import type { Sheet } from './workbook'

export type Choice = {
  name: string
  row: FormRow
  /** Columns other than list_name, name, label and media, kept as item children (filters). */
  extra: Record<string, string>
}

export type ChoiceList = {
  name: string
  choices: Choice[]
  /** Any label in a named language, or any media: the list's labels go through itext. */
  usesItext: boolean
}

const reserved = new Set(['list_name', 'name'])

/** Groups the choices sheet into lists, keeping each list's rows in sheet order. */
export function readChoices(
  sheet: Sheet | undefined,
  defaultLanguage: string,
  diags: Diagnostics,
  sheetName = 'choices',
): Map<string, ChoiceList> {
  const lists = new Map<string, ChoiceList>()
  if (!sheet) return lists
  for (const row of readRows(sheet, defaultLanguage)) {
    const listName = row.values.list_name
    const name = row.values.name
    if (listName === undefined) {
      if (name !== undefined || row.text.label !== undefined)
        diags.error(`The choice '${name ?? ''}' has no list_name; fill in the list_name column.`, {
          sheet: sheetName,
          row: row.row,
          column: 'list_name',
        })
      continue
    }
    const list = lists.get(listName) ?? { name: listName, choices: [], usesItext: false }
    lists.set(listName, list)
    const extra: Record<string, string> = {}
    for (const [k, v] of Object.entries(row.values))
      if (!reserved.has(k) && !k.includes('::') && !/\s/.test(k)) extra[k] = v
    if (name === undefined)
      diags.error(
        `On the '${sheetName}' sheet, the 'name' value is invalid. Choices must have a name. Learn more: https://xlsform.org/en/#setting-up-your-worksheets`,
        {
          sheet: sheetName,
          row: row.row,
          column: 'name',
        },
      )
    list.choices.push({ name: name ?? '', row, extra })
    const label = row.text.label
    const hasRef = Object.values(row.text).some((byLang) =>
      Object.values(byLang).some((v) => v.includes('${')),
    )
    if (
      hasRef ||
      (label && Object.keys(label).some((l) => l !== defaultLanguage)) ||
      Object.keys(row.text).some((k) => k.startsWith('media::'))
    )
      list.usesItext = true
  }
  return lists
}
