import type { Diagnostics } from './diagnostics'
import { FormStop } from './diagnostics'
import type { Sheet, Workbook } from './workbook'

export type FormSheets = {
  survey: Sheet
  choices?: Sheet
  settings?: Sheet
  externalChoices?: Sheet
  entities?: Sheet
  osm?: Sheet
  /** Lower-cased names of sheets that look like a known sheet misspelt, by the sheet they resemble. */
  similar: Record<string, string[]>
}

const known = ['survey', 'choices', 'settings', 'external_choices', 'entities', 'osm']

function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [
    i,
    ...Array<number>(b.length).fill(0),
  ])
  for (let j = 1; j <= b.length; j++) (d[0] as number[])[j] = j
  for (let i = 1; i <= a.length; i++)
    for (let j = 1; j <= b.length; j++) {
      const row = d[i] as number[]
      const prev = d[i - 1] as number[]
      row[j] = Math.min(
        (prev[j] ?? 0) + 1,
        (row[j - 1] ?? 0) + 1,
        (prev[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1),
      )
    }
  return d[a.length]?.[b.length] ?? 0
}

/** Finds the XLSForm sheets by name, ignoring case; sheets named `_…` are the author's notes. */
export function findSheets(workbook: Workbook, diags: Diagnostics): FormSheets {
  const byName = new Map<string, Sheet>()
  const similar: Record<string, string[]> = {}
  for (const sheet of workbook.sheets) {
    const lower = sheet.name.trim().toLowerCase()
    if (lower.startsWith('_')) continue
    if (known.includes(lower)) {
      if (!byName.has(lower)) byName.set(lower, sheet)
      continue
    }
    for (const k of known) if (editDistance(lower, k) <= 2) (similar[k] ??= []).push(sheet.name)
  }
  const visible = workbook.sheets.filter((s) => !s.name.trim().startsWith('_'))
  // A workbook with one unnamed sheet is read as the survey, as pyxform does.
  const survey =
    byName.get('survey') ?? (visible.length === 1 && byName.size === 0 ? visible[0] : undefined)
  if (!survey) {
    diags.error(`You must have a sheet named 'survey'.${similarText(similar.survey)}`)
    throw new FormStop()
  }
  return {
    survey,
    choices: byName.get('choices'),
    settings: byName.get('settings'),
    externalChoices: byName.get('external_choices'),
    entities: byName.get('entities'),
    osm: byName.get('osm'),
    similar,
  }
}

export function similarText(names: string[] | undefined): string {
  if (!names || names.length === 0) return ''
  return ` When looking for a sheet name, the following sheets with similar names were found: ${names.map((n) => `'${n}'`).join(', ')}.`
}
