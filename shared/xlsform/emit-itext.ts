import type { Build, ItextEntry } from './build-context'
import { el, rawEl, type XmlNode } from './xml-node'

/** <itext> with one <translation> per language; a text missing in one language shows "-". */
export function itextElement(build: Build): XmlNode | undefined {
  if (build.itext.size === 0) return undefined
  const defaultLang = build.settings.default_language ?? 'default'
  const langs = [...build.itext.keys()].sort((a, b) => (a === defaultLang ? -1 : b === defaultLang ? 1 : 0))
  const hasText = new Set<string>()
  for (const table of build.itext.values()) for (const [id, e] of table) if (e.text !== undefined) hasText.add(id)
  const translations = langs.map((lang) => {
    const table = build.itext.get(lang) ?? new Map<string, ItextEntry>()
    const texts: XmlNode[] = []
    for (const id of build.itextIds) {
      const entry = table.get(id)
      const values: XmlNode[] = []
      for (const [form, value] of Object.entries(entry?.forms ?? {})) values.push(rawEl('value', { form }, value))
      const text = entry?.text ?? (hasText.has(id) ? '-' : undefined)
      if (text !== undefined) values.push(rawEl('value', {}, text))
      if (values.length > 0) texts.push(el('text', { id }, values))
    }
    return el('translation', { lang, default: lang === defaultLang ? 'true()' : undefined }, texts)
  })
  return el('itext', {}, translations)
}
