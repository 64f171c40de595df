import type { Build, ItextEntry } from './build-context'
import { el, linesEl, type XmlNode } from './xml-node'
import { escapeXmlAttr } from './xml-text'

/** <itext> with one <translation> per language; a text missing in one language shows "-". */
export function itextElement(build: Build): XmlNode | undefined {
  if (build.itext.size === 0) return undefined
  const defaultLang = build.settings.default_language ?? 'default'
  const langs = [...build.itext.keys()].sort((a, b) =>
    a === defaultLang ? -1 : b === defaultLang ? 1 : 0,
  )
  const hasText = new Set<string>()
  const hasGuidance = new Set<string>()
  for (const table of build.itext.values())
    for (const [id, e] of table) {
      if (e.text !== undefined) hasText.add(id)
      if (e.forms.guidance !== undefined) hasGuidance.add(id)
    }
  const translations = langs.map((lang) => {
    const table = build.itext.get(lang) ?? new Map<string, ItextEntry>()
    const lines: string[] = []
    for (const id of build.itextIds) {
      const entry = table.get(id)
      const values: string[] = []
      for (const [form, value] of Object.entries(entry?.forms ?? {}))
        values.push(`  <value form="${escapeXmlAttr(form)}">${value}</value>`)
      if (hasGuidance.has(id) && entry?.forms.guidance === undefined)
        values.push('  <value form="guidance">-</value>')
      const text = entry?.text ?? (hasText.has(id) ? '-' : undefined)
      if (text !== undefined) values.push(`  <value>${text}</value>`)
      if (values.length > 0) lines.push(`<text id="${escapeXmlAttr(id)}">`, ...values, '</text>')
    }
    return linesEl(
      'translation',
      lang === defaultLang ? { default: 'true()', lang } : { lang },
      lines,
    )
  })
  return el('itext', {}, translations)
}
