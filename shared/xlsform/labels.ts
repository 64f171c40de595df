import { addItext, type Build } from './build-context'
import type { FormNode } from './form-model'
import { resolveLabelXml, type ExprSite } from './references'
import { el, rawEl, type XmlNode } from './xml-node'

const mediaPrefix: Record<string, string> = {
  image: 'jr://images/',
  'big-image': 'jr://images/',
  audio: 'jr://audio/',
  video: 'jr://video/',
}

export function langName(build: Build, lang: string): string {
  return lang === 'default' ? (build.settings.default_language ?? 'default') : lang
}

function site(node: FormNode, column: string): ExprSite {
  return {
    contextPath: node.path,
    sheet: node.row.sheet,
    row: node.row.row,
    column: node.row.headers[column] ?? column,
  }
}

function mediaOf(node: FormNode): Map<string, Record<string, string>> {
  const byLang = new Map<string, Record<string, string>>()
  for (const [key, values] of Object.entries(node.row.text)) {
    if (!key.startsWith('media::')) continue
    const form = key.slice('media::'.length)
    for (const [lang, value] of Object.entries(values)) {
      const forms = byLang.get(lang) ?? {}
      forms[form] = `${mediaPrefix[form] ?? 'jr://images/'}${value}`
      byLang.set(lang, forms)
    }
  }
  return byLang
}

function translated(values: Record<string, string> | undefined): boolean {
  return values !== undefined && Object.keys(values).some((l) => l !== 'default')
}

/** The <label> element for a control or group, registering itext when translations or media need it. */
export function labelElement(build: Build, node: FormNode): XmlNode | undefined {
  const labels = node.row.text.label
  const media = mediaOf(node)
  if (media.size === 0 && !translated(labels)) {
    const text = labels?.default
    return text === undefined
      ? undefined
      : rawEl('label', {}, resolveLabelXml(build.refs, text, site(node, 'label')))
  }
  const id = `${node.path}:label`
  const langs = new Set([...Object.keys(labels ?? {}), ...media.keys()])
  for (const lang of langs) {
    const text = labels?.[lang]
    addItext(build, langName(build, lang), id, {
      text: text === undefined ? undefined : resolveLabelXml(build.refs, text, site(node, 'label')),
      forms: media.get(lang) ?? {},
    })
  }
  return el('label', { ref: `jr:itext('${id}')` })
}

/** <hint> (and guidance hint) elements. */
export function hintElements(build: Build, node: FormNode): XmlNode[] {
  const hints = node.row.text.hint
  const guidance = node.row.text.guidance_hint
  if (!guidance && !translated(hints)) {
    const text = hints?.default
    return text === undefined
      ? []
      : [rawEl('hint', {}, resolveLabelXml(build.refs, text, site(node, 'hint')))]
  }
  const id = `${node.path}:hint`
  for (const [lang, text] of Object.entries(hints ?? {}))
    addItext(build, langName(build, lang), id, {
      text: resolveLabelXml(build.refs, text, site(node, 'hint')),
      forms: {},
    })
  for (const [lang, text] of Object.entries(guidance ?? {}))
    addItext(build, langName(build, lang), id, {
      forms: { guidance: resolveLabelXml(build.refs, text, site(node, 'guidance_hint')) },
    })
  return [el('hint', { ref: `jr:itext('${id}')` })]
}

/** A bind message (constraint or required): plain text, or an itext reference when translated. */
export function bindMessage(
  build: Build,
  node: FormNode,
  key: 'bind::jr:constraintMsg' | 'bind::jr:requiredMsg',
): string | undefined {
  const values = node.row.text[key]
  if (!values) return undefined
  if (!translated(values)) return values.default
  const id = `${node.path}:${key.slice('bind::'.length)}`
  for (const [lang, text] of Object.entries(values))
    addItext(build, langName(build, lang), id, {
      text: resolveLabelXml(build.refs, text, site(node, key)),
      forms: {},
    })
  return `jr:itext('${id}')`
}
