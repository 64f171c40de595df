import { parseHeader } from './columns'
import type { Diagnostics } from './diagnostics'
import { FormStop } from './diagnostics'
import { similarText, type FormSheets } from './sheets'
import type { Sheet } from './workbook'

/** The survey needs a type column, and two headers must not name the same column. */
export function checkSurveyHeaders(sheet: Sheet, diags: Diagnostics): void {
  const seen = new Map<string, string>()
  for (const header of sheet.headers) {
    const p = parseHeader(header)
    const key = `${p.key}|${p.lang ?? ''}`
    const other = seen.get(key)
    if (other !== undefined)
      diags.error(
        `Invalid headers provided for sheet: 'survey'. Headers that are different names for the same column were found: '${other}', '${header}'. Rename or remove one of these columns.`,
        { sheet: 'survey', row: 1, column: header },
      )
    seen.set(key, header)
  }
  if (![...seen.keys()].some((k) => k.startsWith('type|'))) {
    diags.error(
      "Invalid headers provided for sheet: 'survey'. One or more required column headers were not found: 'type'. Learn more: https://xlsform.org/en/#setting-up-your-worksheets",
      { sheet: 'survey', row: 1 },
    )
    throw new FormStop()
  }
}

/** Column headers of the choices sheet become XML element names: spaces cannot stay. */
export function checkChoiceHeaders(sheet: Sheet | undefined, diags: Diagnostics): void {
  for (const header of sheet?.headers ?? [])
    if (
      /\s/.test(header) &&
      !['list name'].includes(header.toLowerCase()) &&
      !header.includes('::')
    )
      diags.warn(
        `On the 'choices' sheet, the '${header}' value is invalid. Column headers must not be empty and must not contain spaces. Learn more: https://xlsform.org/en/#setting-up-your-worksheets`,
        { sheet: 'choices', row: 1, column: header },
      )
}

/** A sheet that looks like a misspelt optional sheet is probably one: say so. */
export function warnSimilarSheets(sheets: FormSheets, diags: Diagnostics): void {
  const optional: [keyof FormSheets, string][] = [
    ['entities', 'entities'],
    ['settings', 'settings'],
  ]
  for (const [key, name] of optional)
    if (!sheets[key] && sheets.similar[name]?.length)
      diags.warn(
        `When looking for a sheet named '${name}',${similarText(sheets.similar[name]).replace(' When looking for a sheet name,', '')}`,
      )
}

/** Languages should carry a code, as in `French (fr)`, so devices can pick the right one. */
export function warnLanguageCodes(sheets: Sheet[], diags: Diagnostics): void {
  const bad = new Set<string>()
  for (const sheet of sheets)
    for (const header of sheet.headers) {
      const lang = parseHeader(header).lang
      if (lang !== undefined && !/\((?:[a-z]{2}|[a-z]{3})(?:-[A-Za-z0-9]{2,8})*\)$/.test(lang))
        bad.add(lang)
    }
  if (bad.size > 0)
    diags.warn(
      `The following language declarations do not contain valid machine-readable codes: ${[...bad].join(', ')}. Learn more: http://xlsform.org#multiple-language-support`,
    )
}
