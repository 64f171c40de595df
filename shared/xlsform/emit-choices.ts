import { addItext, type Build } from './build-context'
import type { ChoiceList } from './choices'
import type { QuestionNode } from './form-model'
import { langName } from './labels'
import { resolveExpression, resolveLabelXml, type ExprSite } from './references'
import type { FormRow } from './columns'
import { el, type XmlNode } from './xml-node'

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

/** Registers a list's labels and media in itext (ids `list-index`, as pyxform numbers them). */
function choiceItext(build: Build, list: ChoiceList): void {
  if (registered.has(list)) return
  registered.add(list)
  list.choices.forEach((choice, index) => {
    const id = `${list.name}-${index}`
    const langs = new Set<string>()
    for (const values of Object.values(choice.row.text)) for (const l of Object.keys(values)) langs.add(l)
    for (const lang of langs) {
      const forms: Record<string, string> = {}
      const xml = (key: string, value: string): string => resolveLabelXml(build.refs, value, choiceSite(choice.row, key, lang))
      for (const [key, values] of Object.entries(choice.row.text)) {
        const value = values[lang]
        if (!key.startsWith('media::') || value === undefined) continue
        const form = key.slice('media::'.length)
        forms[form] = `${mediaPrefix[form] ?? 'jr://images/'}${xml(key, value)}`
      }
      const text = choice.row.text.label?.[lang]
      addItext(build, langName(build, lang), id, { text: text === undefined ? undefined : xml('label', text), forms })
    }
  })
}

/** The secondary instance holding a choice list, created once however many selects use it. */
export function ensureChoiceInstance(build: Build, list: ChoiceList, withOther: boolean): void {
  if (build.instances.has(list.name)) return
  if (list.usesItext) choiceItext(build, list)
  const items = list.choices.map((choice, index) => {
    const children: XmlNode[] = []
    if (list.usesItext) children.push(el('itextId', {}, [], `${list.name}-${index}`))
    else if (choice.row.text.label?.default !== undefined) children.push(el('label', {}, [], choice.row.text.label.default))
    children.push(el('name', {}, [], choice.name))
    for (const [k, v] of Object.entries(choice.extra)) children.push(el(k, {}, [], v))
    return el('item', {}, children)
  })
  if (withOther) {
    const other = list.usesItext ? el('itextId', {}, [], `${list.name}-${list.choices.length}`) : el('label', {}, [], 'Other')
    if (list.usesItext)
      for (const lang of build.itext.keys()) addItext(build, lang, `${list.name}-${list.choices.length}`, { text: 'Other', forms: {} })
    items.push(el('item', {}, [other, el('name', {}, [], 'other')]))
  }
  build.instances.set(list.name, el('instance', { id: list.name }, [el('root', {}, items)]))
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
export function itemset(build: Build, q: QuestionNode, instanceId: string, params: Record<string, string>, usesItext: boolean): XmlNode {
  const filter = q.row.values.choice_filter
  let nodeset = `instance('${instanceId}')/root/item`
  if (filter !== undefined) {
    const site = { contextPath: q.path, sheet: 'survey', row: q.row.row, column: 'choice_filter', inPredicate: true }
    nodeset += `[${resolveExpression(build.refs, filter, site)}]`
  }
  if (params.randomize !== undefined && /^(true|yes|true\(\))$/i.test(params.randomize)) {
    const seed = params.seed === undefined ? '' : `, ${resolveExpression(build.refs, params.seed, { contextPath: q.path, sheet: 'survey', row: q.row.row, column: 'parameters' })}`
    nodeset = `randomize(${nodeset}${seed})`
  }
  const label = usesItext ? el('label', { ref: 'jr:itext(itextId)' }) : el('label', { ref: params.label ?? 'label' })
  return el('itemset', { nodeset }, [el('value', { ref: params.value ?? 'name' }), label])
}
