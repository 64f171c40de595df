import type {
  Bind,
  BodyNode,
  Control,
  ControlKind,
  FormDefinition,
  Item,
  Itemset,
  Itext,
  ItextForms,
  SecondaryInstance,
  SetValueAction,
  TextSource,
} from './definition-types'
import { ensureInstanceId } from './meta'
import { childElements, firstChild, localName, ownText, parseXml, XmlSyntaxError, type XmlElement } from './xml'
import { checkXml } from './xml-scan'

/** A form the runtime cannot run, with a sentence naming what is wrong or unsupported. */
export class FormLoadError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'FormLoadError'
  }
}

const controlKinds: Record<string, ControlKind> = {
  input: 'input',
  select1: 'select1',
  select: 'select',
  trigger: 'trigger',
  upload: 'upload',
  range: 'range',
  'odk:rank': 'rank',
  rank: 'rank',
}

/** Joins a ref onto its context path: absolute refs stand alone, relative ones extend the context. */
/** An absolute path with nothing to drop or resolve: no predicate, no `.` or `..`, no `//`. */
const plainAbsolute = /^(\/[\w:-]+)+$/

export function resolvePath(context: string, ref: string): string {
  if (plainAbsolute.test(ref)) return ref
  if (ref.startsWith('/')) return normalisePath(ref)
  const parts = context.split('/').filter(Boolean)
  for (const step of ref.split('/')) {
    if (step === '..') parts.pop()
    else if (step !== '.' && step !== '') parts.push(step)
  }
  return `/${parts.join('/')}`
}

/** Drops positional predicates and `.` steps: /data/r[2]/./a → /data/r/a. */
export function normalisePath(path: string): string {
  if (plainAbsolute.test(path)) return path
  return resolvePath('/', path.replace(/\[[^\]]*\]/g, '').replace(/^\//, ''))
}

function textSource(element: XmlElement | undefined): TextSource | undefined {
  if (!element) return undefined
  const ref = element.attrs.ref
  if (ref) {
    const itext = /^\s*jr:itext\(\s*'([^']*)'\s*\)\s*$/.exec(ref) ?? /^\s*jr:itext\(\s*"([^"]*)"\s*\)\s*$/.exec(ref)
    if (itext?.[1] !== undefined) return { kind: 'itext', id: itext[1] }
    if (ref.includes('jr:itext(')) return { kind: 'itext-expr', expr: ref.replace(/^\s*jr:itext\(/, '').replace(/\)\s*$/, '') }
  }
  const parts: Array<string | { output: string }> = []
  for (const child of element.children) {
    if (typeof child === 'string') parts.push(child)
    else if (localName(child.name) === 'output') parts.push({ output: child.attrs.value ?? child.attrs.ref ?? '' })
  }
  return { kind: 'inline', parts }
}

function messageSource(text: string | undefined): TextSource | undefined {
  if (text === undefined) return undefined
  const itext = /^\s*jr:itext\(\s*['"]([^'"]*)['"]\s*\)\s*$/.exec(text)
  return itext?.[1] !== undefined ? { kind: 'itext', id: itext[1] } : { kind: 'inline', parts: [text] }
}

function parseBind(element: XmlElement): Bind {
  const a = element.attrs
  const nodeset = a.nodeset ?? a.ref
  if (!nodeset) throw new FormLoadError('A <bind> has no nodeset: every bind must say which question it applies to.')
  const bind: Bind = { nodeset: normalisePath(nodeset), type: a.type ?? 'string' }
  if (a.relevant) bind.relevant = a.relevant
  if (a.required) bind.required = a.required
  if (a.readonly) bind.readonly = a.readonly
  if (a.constraint) bind.constraint = a.constraint
  if (a.calculate) bind.calculate = a.calculate
  const constraintMsg = messageSource(a['jr:constraintMsg'])
  if (constraintMsg) bind.constraintMsg = constraintMsg
  const requiredMsg = messageSource(a['jr:requiredMsg'])
  if (requiredMsg) bind.requiredMsg = requiredMsg
  if (a['jr:preload']) bind.preload = a['jr:preload']
  if (a['jr:preloadParams']) bind.preloadParams = a['jr:preloadParams']
  if (a['entities:saveto']) bind.saveTo = a['entities:saveto']
  return bind
}

function parseItems(element: XmlElement): { items?: Item[]; itemset?: Itemset } {
  const itemsetElement = firstChild(element, 'itemset')
  if (itemsetElement) {
    const value = firstChild(itemsetElement, 'value')?.attrs.ref ?? 'name'
    const label = firstChild(itemsetElement, 'label')
    const labelRef = label?.attrs.ref ?? 'label'
    const itext = /^\s*jr:itext\((.*)\)\s*$/.exec(labelRef)
    return {
      itemset: {
        nodeset: itemsetElement.attrs.nodeset ?? '',
        valueRef: value,
        labelRef: itext?.[1] !== undefined ? { kind: 'itext-expr', expr: itext[1] } : { kind: 'ref', ref: labelRef },
      },
    }
  }
  const items = childElements(element)
    .filter((child) => child.name === 'item')
    .map((item) => {
      const parsed: Item = { value: ownText(firstChild(item, 'value') ?? { name: 'value', attrs: {}, children: [] }).trim() }
      const label = textSource(firstChild(item, 'label'))
      if (label) parsed.label = label
      return parsed
    })
  return items.length > 0 ? { items } : {}
}

function parseControl(element: XmlElement, kind: ControlKind, context: string): Control {
  const ref = element.attrs.ref ?? element.attrs.bind
  if (!ref) throw new FormLoadError(`A <${element.name}> control has no ref: it must say which question it answers.`)
  const control: Control = { kind, ref: resolvePath(context, ref), ...parseItems(element) }
  if (element.attrs.appearance) control.appearance = element.attrs.appearance
  const label = textSource(firstChild(element, 'label'))
  if (label) control.label = label
  const hint = textSource(firstChild(element, 'hint'))
  if (hint) control.hint = hint
  if (element.attrs.mediatype) control.mediatype = element.attrs.mediatype
  if (kind === 'range') control.range = { start: element.attrs.start, end: element.attrs.end, step: element.attrs.step }
  return control
}

function parseBody(parent: XmlElement, context: string): BodyNode[] {
  const nodes: BodyNode[] = []
  for (const element of childElements(parent)) {
    const kind = controlKinds[element.name]
    if (kind) nodes.push(parseControl(element, kind, context))
    else if (element.name === 'group') nodes.push(parseGroup(element, context))
    else if (element.name === 'repeat') nodes.push(parseRepeat(element, context, undefined))
    else if (['label', 'hint', 'setvalue', 'odk:setgeopoint', 'output'].includes(element.name)) continue
    else throw new FormLoadError(`The form uses <${element.name}> in its body, which Outpost does not support.`)
  }
  return nodes
}

function parseGroup(element: XmlElement, context: string): BodyNode {
  const ref = element.attrs.ref
  const path = ref ? resolvePath(context, ref) : context
  const label = textSource(firstChild(element, 'label'))
  const repeats = childElements(element).filter((c) => c.name === 'repeat')
  // pyxform wraps each repeat in a group carrying its label: present it as one repeat.
  if (repeats.length === 1 && childElements(element).every((c) => c.name === 'repeat' || c.name === 'label') && repeats[0]) {
    return parseRepeat(repeats[0], path, label)
  }
  const group: BodyNode = { kind: 'group', children: parseBody(element, path) }
  if (ref) group.ref = path
  if (element.attrs.appearance) group.appearance = element.attrs.appearance
  if (label) group.label = label
  return group
}

function parseRepeat(element: XmlElement, context: string, label: TextSource | undefined): BodyNode {
  const nodeset = element.attrs.nodeset
  if (!nodeset) throw new FormLoadError('A <repeat> has no nodeset.')
  const path = resolvePath(context, nodeset)
  const repeat: BodyNode = {
    kind: 'repeat',
    nodeset: path,
    noAddRemove: element.attrs['jr:noAddRemove'] === 'true()',
    children: parseBody(element, path),
  }
  if (element.attrs['jr:count']) repeat.countExpr = element.attrs['jr:count']
  if (element.attrs.appearance) repeat.appearance = element.attrs.appearance
  const ownLabel = textSource(firstChild(element, 'label')) ?? label
  if (ownLabel) repeat.label = ownLabel
  return repeat
}

function parseItext(model: XmlElement): Itext {
  const itext = firstChild(model, 'itext')
  const texts = new Map<string, Map<string, ItextForms>>()
  let defaultLanguage: string | null = null
  for (const translation of itext ? childElements(itext).filter((c) => c.name === 'translation') : []) {
    const lang = translation.attrs.lang ?? ''
    if (translation.attrs.default !== undefined || defaultLanguage === null) defaultLanguage = translation.attrs.default !== undefined ? lang : defaultLanguage ?? lang
    const entries = new Map<string, ItextForms>()
    for (const text of childElements(translation).filter((c) => c.name === 'text')) {
      const forms: ItextForms = {}
      for (const value of childElements(text).filter((c) => c.name === 'value')) {
        const form = value.attrs.form
        if (!form || form === 'long') forms.default = textSource(value)
        else if (form === 'guidance') forms.guidance = textSource(value)
        else if (form === 'short') forms.short = textSource(value)
        else if (form === 'image' || form === 'audio' || form === 'video') forms[form] = ownText(value).trim()
      }
      if (text.attrs.id) entries.set(text.attrs.id, forms)
    }
    texts.set(lang, entries)
  }
  return { languages: [...texts.keys()], defaultLanguage, texts }
}

function parseActions(model: XmlElement, body: XmlElement): SetValueAction[] {
  const actions: SetValueAction[] = []
  const visit = (element: XmlElement, control?: string) => {
    for (const child of childElements(element)) {
      if (child.name === 'setvalue' || child.name === 'odk:setgeopoint') {
        const action: SetValueAction = { events: (child.attrs.event ?? '').split(/\s+/).filter(Boolean), ref: normalisePath(child.attrs.ref ?? '') }
        if (child.attrs.value !== undefined) action.value = child.attrs.value
        else action.text = ownText(child)
        if (control) action.trigger = control
        actions.push(action)
      } else visit(child, child.attrs.ref ? resolvePath(control ?? '/', child.attrs.ref) : control)
    }
  }
  visit(model)
  visit(body)
  return actions
}

function parseSecondary(instances: XmlElement[]): SecondaryInstance[] {
  return instances.map((element) => {
    const id = element.attrs.id
    if (!id) throw new FormLoadError('A secondary <instance> has no id, so no expression can reach it.')
    const instance: SecondaryInstance = { id }
    if (element.attrs.src) instance.src = element.attrs.src
    // Choice lists are read straight into the runtime's nodes when an expression first reads them.
    if (element.raw) instance.raw = element.raw
    else {
      const root = childElements(element)[0]
      if (root) instance.element = root
    }
    return instance
  })
}

/**
 * The content of a model's secondary instances is left unparsed for the engine to read fast. The
 * first instance stays parsed: it is the primary one when every instance has an id.
 */
const secondaryContent = (element: XmlElement, parent: XmlElement | undefined): boolean =>
  element.name === 'instance' &&
  element.attrs.id !== undefined &&
  parent?.name === 'model' &&
  parent.children.some((child) => typeof child !== 'string' && child.name === 'instance' && child !== element)

function checkRawInstances(html: XmlElement): void {
  const model = firstChild(firstChild(html, 'h:head') ?? html, 'model')
  for (const instance of model ? childElements(model) : []) if (instance.raw) checkXml(instance.raw)
}

/** Reads an ODK XForm into the definition the runtime runs. */
export function parseXForm(xml: string): FormDefinition {
  let html: XmlElement
  try {
    html = parseXml(xml, secondaryContent)
    // Unparsed choice lists are checked now, so a broken one refuses the form at load.
    checkRawInstances(html)
  } catch (error) {
    throw new FormLoadError(`The form is not well-formed XML: ${error instanceof XmlSyntaxError ? error.message : String(error)}`)
  }
  const head = firstChild(html, 'h:head')
  const model = head && firstChild(head, 'model')
  const body = firstChild(html, 'h:body') ?? { name: 'h:body', attrs: {}, children: [] }
  if (!head || !model) throw new FormLoadError('This is not an XForm: it has no <h:head> with a <model>.')
  const instances = childElements(model).filter((c) => c.name === 'instance')
  const primaryInstance = instances.find((i) => i.attrs.id === undefined) ?? instances[0]
  const primary = primaryInstance && childElements(primaryInstance)[0]
  if (!primaryInstance || !primary) throw new FormLoadError('The form has no primary instance.')
  const definition: FormDefinition = {
    title: ownText(firstChild(head, 'h:title') ?? { name: '', attrs: {}, children: [] }).trim(),
    formId: primary.attrs.id ?? primary.name,
    version: primary.attrs.version ?? '',
    primary,
    secondary: parseSecondary(instances.filter((i) => i !== primaryInstance)),
    binds: childElements(model).filter((c) => c.name === 'bind').map(parseBind),
    body: parseBody(body, `/${primary.name}`),
    itext: parseItext(model),
    actions: parseActions(model, body),
  }
  ensureInstanceId(primary, definition.binds, html.attrs['xmlns:orx'] !== undefined || primary.attrs['xmlns:orx'] !== undefined)
  const entity = firstChild(primary, 'meta') && firstChild(firstChild(primary, 'meta') as XmlElement, 'entity')
  if (entity) {
    definition.entities = { dataset: entity.attrs.dataset ?? '' }
    if (entity.attrs.create) definition.entities.create = entity.attrs.create
    if (entity.attrs.update) definition.entities.update = entity.attrs.update
    if (entity.attrs.baseVersion !== undefined) definition.entities.baseVersion = entity.attrs.baseVersion
  }
  return definition
}
