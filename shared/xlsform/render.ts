import type { Build } from './build-context'
import { body, usesSearch } from './emit-body'
import { binds } from './emit-binds'
import { ensureChoiceInstance } from './emit-choices'
import { primaryInstance } from './emit-instance'
import { itextElement } from './emit-itext'
import { formDefinition, type FormDefinition } from './form-definition'
import { walk, type FormNode } from './form-model'
import { yesNo } from './settings'
import { el, serialize, type XmlNode } from './xml-node'

const namespaces: Record<string, string> = {
  xmlns: 'http://www.w3.org/2002/xforms',
  'xmlns:ev': 'http://www.w3.org/2001/xml-events',
  'xmlns:h': 'http://www.w3.org/1999/xhtml',
  'xmlns:jr': 'http://openrosa.org/javarosa',
  'xmlns:odk': 'http://www.opendatakit.org/xforms',
  'xmlns:orx': 'http://openrosa.org/xforms',
  'xmlns:xsd': 'http://www.w3.org/2001/XMLSchema',
}

/** Turns the checked tree into the XForm document and the JSON form definition. */
export function render(
  build: Build,
  extraBind: (node: FormNode) => Record<string, string>,
): { xml: string; form: FormDefinition } {
  const title = build.settings.form_title ?? build.titleFallback
  const bodyNode = body(build)
  emitRemainingLists(build)
  const bindNodes = binds(build, extraBind)
  const instance = primaryInstance(build)
  const model: (XmlNode | undefined)[] = [
    submission(build),
    itextElement(build),
    instance,
    ...build.instances.values(),
  ]
  if (build.refs.usesLastSaved && build.instances.has('__last-saved'))
    build.diags.error(
      "The same instance id will be generated for different external instance source URIs. Please check the form. Instance name: '__last-saved', Existing type: 'external', Existing URI: 'jr://file/__last-saved.xml', Duplicate type: 'instance', Duplicate URI: 'jr://instance/last-saved', Duplicate context: 'None'.",
    )
  else if (build.refs.usesLastSaved)
    model.push(el('instance', { id: '__last-saved', src: 'jr://instance/last-saved' }))
  model.push(...bindNodes, ...build.entityBinds, ...build.modelActions)
  const modelAttrs: Record<string, string> = { 'odk:xforms-version': '1.0.0' }
  if (build.entitiesVersion) modelAttrs['entities:entities-version'] = build.entitiesVersion
  const head = el('h:head', {}, [el('h:title', {}, [], title), el('model', modelAttrs, model)])
  const entityNs = build.entitiesVersion
    ? { 'xmlns:entities': 'http://www.opendatakit.org/xforms/entities' }
    : {}
  const html = el('h:html', { ...namespaces, ...entityNs, ...extraNamespaces(build) }, [
    head,
    bodyNode,
  ])
  return {
    xml: `<?xml version="1.0"?>\n${serialize(html)}`,
    form: formDefinition(build, title, bindNodes),
  }
}

/** pyxform writes every choice list, used or not; lists shown only through search() stay inline. */
function emitRemainingLists(build: Build): void {
  const searchOnly = new Set<string>()
  for (const node of walk(build.root))
    if (node.kind === 'question' && node.select && usesSearch(node))
      searchOnly.add(node.select.listName)
  for (const list of build.choices.values())
    if (!searchOnly.has(list.name)) ensureChoiceInstance(build, list, false)
}

function submission(build: Build): XmlNode | undefined {
  const s = build.settings
  const editable = yesNo(s.client_editable) === true ? 'true' : undefined
  if (
    s.submission_url === undefined &&
    s.public_key === undefined &&
    s.auto_send === undefined &&
    s.auto_delete === undefined &&
    !editable
  )
    return undefined
  return el('submission', {
    action: s.submission_url,
    base64RsaPublicKey: s.public_key,
    method: s.submission_url !== undefined || s.public_key !== undefined ? 'post' : undefined,
    'orx:auto-send': s.auto_send,
    'orx:auto-delete': s.auto_delete,
    'odk:client-editable': editable,
  })
}

/** Extra prefixes from the settings sheet's `namespaces` column: `esri="http://…" …`. */
function extraNamespaces(build: Build): Record<string, string> {
  const out: Record<string, string> = {}
  const text = build.settings.namespaces
  if (!text) return out
  for (const m of text.matchAll(/([\w.-]+)\s*=\s*["']([^"']*)["']/g))
    out[`xmlns:${m[1] ?? ''}`] = m[2] ?? ''
  return out
}
