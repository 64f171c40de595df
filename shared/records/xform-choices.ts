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

/**
 * Best-effort choice lookup from a compiled XForm (the form definition we store): each select's
 * itemset names its list's secondary instance. Field paths drop the root element, matching the
 * keys of RecordValues. Choice lists computed at run time (choice filters still resolve, as
 * the filter only hides items) and external lists are simply absent: their names are shown.
 */
export function formLookupFromXForm(xml: string): FormLookup {
  const lists = choiceInstances(xml, itextTexts(xml))
  const byPath = new Map<string, Choice[]>()
  const selects = /<(select1?)\s+ref="\/[^/"]+\/([^"]+)"[^>]*>([\s\S]*?)<\/\1>/g
  for (const m of xml.matchAll(selects)) {
    const list = /<itemset nodeset="instance\('([^']+)'\)/.exec(m[3] ?? '')?.[1]
    const choices = list !== undefined ? lists.get(list) : undefined
    if (choices) byPath.set(m[2] ?? '', choices)
  }
  return lookupFromMap(byPath)
}
