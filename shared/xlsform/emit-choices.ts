import { addItext, type Build, type ItextEntry } from './build-context'
import type { Choice, ChoiceList } from './choices'
import type { QuestionNode } from './form-model'
import { langName } from './labels'
import { resolveExpression, resolveLabelXml, type ExprSite } from './references'
import type { FormRow } from './columns'
import { el, linesEl, type XmlNode } from './xml-node'
import { escapeXmlText } from './xml-text'

const mediaPrefix: Record<string, string> = {
  image: 'jr://images/',
  'big-image': 'jr://images/',
  audio: 'jr://audio/',
  video: 'jr://video/',
}

const registered = new WeakSet<ChoiceList>()

/** Where a choice cell sits, named the way the author wrote the column (e.g. `label::English (en)`). */
function choiceSite(row: FormRow, key: string, lang: string): ExprSite {
  const header = row.headers[key] ?? key
  const column = lang === 'default' ? header : `${header.split('::')[0] ?? header}::${lang}`
  return { contextPath: '', sheet: row.sheet, row: row.row, column, absolute: true }
}

function choiceText(
  build: Build,
  choice: Choice,
  key: string,
  lang: string,
  value: string,
): string {
  return value.includes('${')
    ? resolveLabelXml(build.refs, value, choiceSite(choice.row, key, lang))
    : escapeXmlText(value)
}

/** Registers a list's labels and media in itext (ids `list-index`, as pyxform numbers them). */
function choiceItext(build: Build, list: ChoiceList): void {
  if (registered.has(list)) return
  registered.add(list)
  for (let index = 0; index < list.choices.length; index++) {
    const choice = list.choices[index]
    if (!choice) continue
    const entries = new Map<string, ItextEntry>()
    for (const key in choice.row.text) {
      const byLang = choice.row.text[key] ?? {}
      const form = key.startsWith('media::') ? key.slice('media::'.length) : undefined
      if (form === undefined && key !== 'label') continue
      for (const lang in byLang) {
        const value = choiceText(build, choice, key, lang, byLang[lang] ?? '')
        let e = entries.get(lang)
        if (!e) entries.set(lang, (e = { forms: {} }))
        if (form === undefined) e.text = value
        else e.forms[form] = `${mediaPrefix[form] ?? 'jr://images/'}${value}`
      }
    }
    for (const [lang, e] of entries)
      addItext(build, langName(build, lang), `${list.name}-${index}`, e)
  }
}

/** The secondary instance holding a choice list, created once however many selects use it. */
export function ensureChoiceInstance(build: Build, list: ChoiceList, withOther: boolean): void {
  if (build.instances.has(list.name)) return
  if (list.usesItext) choiceItext(build, list)
  const lines: string[] = ['<root>']
  const { choices, name: listName } = list
  for (let index = 0; index < choices.length; index++) {
    const choice = choices[index]
    if (!choice) continue
    lines.push('  <item>')
    if (list.usesItext) lines.push(`    <itextId>${escapeXmlText(listName)}-${index}</itextId>`)
    const label = choice.row.text.label?.default
    if (!list.usesItext && label !== undefined)
      lines.push(`    <label>${escapeXmlText(label)}</label>`)
    lines.push(`    <name>${escapeXmlText(choice.name)}</name>`)
    for (const k in choice.extra)
      lines.push(`    <${k}>${escapeXmlText(choice.extra[k] ?? '')}</${k}>`)
    lines.push('  </item>')
  }
  if (withOther) {
    const id = `${listName}-${choices.length}`
    if (list.usesItext)
      for (const lang of build.itext.keys()) addItext(build, lang, id, { text: 'Other', forms: {} })
    lines.push(
      '  <item>',
      list.usesItext ? `    <itextId>${escapeXmlText(id)}</itextId>` : '    <label>Other</label>',
      '    <name>other</name>',
      '  </item>',
    )
  }
  lines.push('</root>')
  build.instances.set(listName, linesEl('instance', { id: listName }, lines))
}

/** search() appearance: the choices go inline as <item> elements (ODK Collect reads them there). */
export function inlineItems(build: Build, list: ChoiceList): XmlNode[] {
  if (list.usesItext) choiceItext(build, list)
  return list.choices.map((choice, index) => {
    const label = list.usesItext
      ? el('label', { ref: `jr:itext('${list.name}-${index}')` })
      : el('label', {}, [], choice.row.text.label?.default ?? '')
    return el('item', {}, [label, el('value', {}, [], choice.name)])
  })
}

/** The <itemset> of a select question, with its choice_filter as a predicate and randomize(). */
export function itemset(
  build: Build,
  q: QuestionNode,
  instanceId: string,
  params: Record<string, string>,
  usesItext: boolean,
): XmlNode {
  const filter = q.row.values.choice_filter
  let nodeset = `instance('${instanceId}')/root/item`
  if (filter !== undefined) {
    const site = {
      contextPath: q.path,
      sheet: 'survey',
      row: q.row.row,
      column: 'choice_filter',
      inPredicate: true,
    }
    nodeset += `[${resolveExpression(build.refs, filter, site)}]`
  }
  if (params.randomize !== undefined && /^(true|yes|true\(\))$/i.test(params.randomize)) {
    const seed =
      params.seed === undefined
        ? ''
        : `, ${resolveExpression(build.refs, params.seed, { contextPath: q.path, sheet: 'survey', row: q.row.row, column: 'parameters' })}`
    nodeset = `randomize(${nodeset}${seed})`
  }
  const label = usesItext
    ? el('label', { ref: 'jr:itext(itextId)' })
    : el('label', { ref: params.label ?? 'label' })
  return el('itemset', { nodeset }, [el('value', { ref: params.value ?? 'name' }), label])
}
