import { isBlankRow, parseCsv } from '../csv'
import { lookupFromMap, type Choice, type FormLookup } from './labels'

const decode = (text: string): string =>
  text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&')

/** itext id → text in the default translation (or the first one). */
function itextTexts(xml: string): Map<string, string> {
  const translations = [...xml.matchAll(/<translation\b([^>]*)>([\s\S]*?)<\/translation>/g)]
  const chosen = translations.find((t) => /default="true\(\)"/.test(t[1] ?? '')) ?? translations[0]
  const texts = new Map<string, string>()
  for (const m of (chosen?.[2] ?? '').matchAll(/<text id="([^"]*)">\s*<value>([\s\S]*?)<\/value>/g)) texts.set(m[1] ?? '', decode(m[2] ?? ''))
  return texts
}

/** Secondary instances: list name → choices, labels resolved through itext when used. */
function choiceInstances(xml: string, texts: Map<string, string>): Map<string, Choice[]> {
  const lists = new Map<string, Choice[]>()
  for (const m of xml.matchAll(/<instance id="([^"]+)">([\s\S]*?)<\/instance>/g)) {
    const choices: Choice[] = []
    for (const item of (m[2] ?? '').matchAll(/<item>([\s\S]*?)<\/item>/g)) {
      const body = item[1] ?? ''
      const name = /<name>([\s\S]*?)<\/name>/.exec(body)?.[1]
      if (name === undefined) continue
      const itextId = /<itextId>([\s\S]*?)<\/itextId>/.exec(body)?.[1]
      const label = itextId !== undefined ? texts.get(itextId) : /<label>([\s\S]*?)<\/label>/.exec(body)?.[1]
      choices.push({ name: decode(name), label: label === undefined ? decode(name) : decode(label) })
    }
    lists.set(m[1] ?? '', choices)
  }
  return lists
}

/** Choices of a CSV the form reads (select_one_from_file): `name`, and `label` (or the first label:: column). */
function csvChoices(text: string): Choice[] {
  const [header = [], ...rows] = parseCsv(text.replace(/^\uFEFF/, '')).filter((row) => !isBlankRow(row))
  const names = header.map((h) => h.trim())
  const nameAt = names.indexOf('name')
  const labelAt = names.indexOf('label') >= 0 ? names.indexOf('label') : names.findIndex((h) => h.startsWith('label::'))
  if (nameAt < 0) return []
  return rows.map((row) => {
    const name = row[nameAt] ?? ''
    return { name, label: (labelAt >= 0 ? row[labelAt] : undefined) || name }
  })
}

/** Instances the form reads from files (`<instance id="villages" src="jr://file-csv/villages.csv"/>`) given as CSV text. */
function fileInstances(xml: string, files: ReadonlyMap<string, string>): Map<string, Choice[]> {
  const lists = new Map<string, Choice[]>()
  for (const m of xml.matchAll(/<instance id="([^"]+)" src="jr:\/\/file(?:-csv)?\/([^"]+\.csv)"\s*\/?>/gi)) {
    const text = files.get(m[2] ?? '')
    if (text !== undefined) lists.set(m[1] ?? '', csvChoices(text))
  }
  return lists
}

/**
 * Best-effort choice lookup from a compiled XForm (the form definition we store): each select's
 * itemset names its list's secondary instance. Field paths drop the root element, matching the
 * keys of RecordValues. Choice filters still resolve (the filter only hides items); lists read
 * from CSV files resolve when `files` (name → text) has them, else their names are shown.
 */
export function formLookupFromXForm(xml: string, files: ReadonlyMap<string, string> = new Map()): FormLookup {
  const lists = choiceInstances(xml, itextTexts(xml))
  for (const [id, choices] of fileInstances(xml, files)) lists.set(id, choices)
  const byPath = new Map<string, Choice[]>()
  const selects = /<(select1?)\s+ref="\/[^/"]+\/([^"]+)"[^>]*>([\s\S]*?)<\/\1>/g
  for (const m of xml.matchAll(selects)) {
    const list = /<itemset nodeset="instance\('([^']+)'\)/.exec(m[3] ?? '')?.[1]
    const choices = list !== undefined ? lists.get(list) : undefined
    if (choices) byPath.set(m[2] ?? '', choices)
  }
  return lookupFromMap(byPath)
}
