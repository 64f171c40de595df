import type { Build } from './build-context'
import { readChoices } from './choices'
import { readRows } from './columns'
import { Diagnostics, FormStop, type Diagnostic } from './diagnostics'
import { body, usesSearch } from './emit-body'
import { ensureChoiceInstance } from './emit-choices'
import { binds } from './emit-binds'
import { primaryInstance } from './emit-instance'
import { itextElement } from './emit-itext'
import { walk, type FormNode } from './form-model'
import { validateForm } from './validate'
import { readSettings, yesNo } from './settings'
import { findSheets } from './sheets'
import { addMeta } from './meta'
import { expandLoops } from './loops'
import { addRepeatCounts } from './repeat-count'
import { expandTableLists } from './table-list'
import { assignPaths, buildSurveyTree, namePattern, nameRule } from './survey-tree'
import type { Workbook } from './workbook'
import { el, serialize, type XmlNode } from './xml-node'
import { applyFeatures } from './features'
import { externalInstances } from './external'
import { readEntities } from './entities'
import { allocateEntities, readSaveTo } from './entity-allocation'
import { addEntityNodes, entitiesVersion, entityBinds } from './entity-emit'

export type CompileOptions = {
  /** Root element name when the settings sheet gives none (pyxform uses the file name). */
  formName?: string
  /** Instance id when the settings sheet gives no form_id (pyxform: the file name, else 'data'). */
  formId?: string
}

export type CompileResult = {
  ok: boolean
  xml?: string
  diagnostics: Diagnostic[]
  errors: Diagnostic[]
  warnings: Diagnostic[]
}

const namespaces: Record<string, string> = {
  xmlns: 'http://www.w3.org/2002/xforms',
  'xmlns:ev': 'http://www.w3.org/2001/xml-events',
  'xmlns:h': 'http://www.w3.org/1999/xhtml',
  'xmlns:jr': 'http://openrosa.org/javarosa',
  'xmlns:odk': 'http://www.opendatakit.org/xforms',
  'xmlns:orx': 'http://openrosa.org/xforms',
  'xmlns:xsd': 'http://www.w3.org/2001/XMLSchema',
}

function result(diags: Diagnostics, xml?: string): CompileResult {
  const ok = !diags.hasErrors()
  return {
    ok,
    xml: ok ? xml : undefined,
    diagnostics: diags.items,
    errors: diags.errors,
    warnings: diags.warnings,
  }
}

/** Compiles an XLSForm workbook to an ODK XForm. Never throws for a bad form: it reports. */
export function compileWorkbook(workbook: Workbook, options: CompileOptions = {}): CompileResult {
  const diags = new Diagnostics()
  try {
    const xml = compileOrStop(workbook, options, diags)
    return result(diags, xml)
  } catch (e) {
    if (e instanceof FormStop) return result(diags)
    throw e
  }
}

function formNameFrom(
  settings: Record<string, string>,
  options: CompileOptions,
  diags: Diagnostics,
  row: number,
): string {
  const fromSheet = settings.name
  if (fromSheet !== undefined) {
    if (!namePattern.test(fromSheet))
      diags.error(`On the 'settings' sheet, the 'name' value is invalid. ${nameRule}`, {
        sheet: 'settings',
        row: row - 1,
        column: 'name',
      })
    return fromSheet
  }
  const name = options.formName ?? 'data'
  if (!namePattern.test(name)) diags.error(`The 'form_name' value is invalid. ${nameRule}`)
  return name
}

function compileOrStop(
  workbook: Workbook,
  options: CompileOptions,
  diags: Diagnostics,
): string | undefined {
  const sheets = findSheets(workbook, diags)
  const settings = readSettings(sheets.settings)
  const formName = formNameFrom(settings.values, options, diags, settings.row)
  const rows = readRows(sheets.survey, 'default')
  const root = buildSurveyTree(formName, rows, diags)
  const choices = readChoices(sheets.choices, 'default', diags)
  const build: Build = {
    formName,
    titleFallback: options.formId ?? formName,
    root,
    settings: { ...settings.values, form_id: settings.values.form_id ?? options.formId ?? 'data' },
    settingsRow: settings.row,
    choices,
    externalChoices: sheets.externalChoices
      ? readChoices(sheets.externalChoices, 'default', diags, 'external_choices')
      : undefined,
    refs: { byName: new Map(), repeatPaths: new Set(), diags, usesLastSaved: false },
    diags,
    itext: new Map(),
    itextIds: new Set(),
    modelActions: [],
    instances: new Map(),
    controlActions: new Map(),
    repeatActions: new Map(),
    triggered: new Set(),
    bindExtras: new Map(),
    entityLists: new Set(),
    entityBinds: [],
  }
  expandLoops(build)
  if (yesNo(settings.values.flat) === true)
    for (const n of walk(root)) if (n.kind === 'group') n.flat = true
  addMeta(build)
  addRepeatCounts(build)
  expandTableLists(build)
  assignPaths(root, '')
  indexNames(build)
  validateForm(build)
  const entities = readEntities(build, sheets.entities)
  build.entityLists = new Set(entities.map((e) => e.listName))
  allocateEntities(build, entities, readSaveTo(build, rows, entities))
  addEntityNodes(build, entities)
  assignPaths(root, '')
  externalInstances(build)
  build.entityBinds = entityBinds(build, entities)
  if (entities.length > 0) build.entitiesVersion = entitiesVersion(entities, root)
  const extraBind = applyFeatures(build, sheets)
  // Render even when problems were found: resolving references and parameters finds the rest,
  // so the author sees every problem in one pass.
  const xml = render(build, extraBind)
  return diags.hasErrors() ? undefined : xml
}

function indexNames(build: Build): void {
  for (const node of walk(build.root)) {
    // Generated metadata (meta/instanceID) may be referenced by name unless a question takes it.
    const metaLeaf =
      node.kind === 'question' &&
      node.generated &&
      node.parent.name === 'meta' &&
      node.parent.generated
    if (metaLeaf) continue
    if (node.kind === 'survey' || node.generated) continue
    const list = build.refs.byName.get(node.name)
    if (list) list.push(node)
    else build.refs.byName.set(node.name, [node])
    if (node.kind === 'repeat') build.refs.repeatPaths.add(node.path)
  }
  for (const node of walk(build.root))
    if (
      node.kind === 'question' &&
      node.generated &&
      node.parent.name === 'meta' &&
      !build.refs.byName.has(node.name)
    )
      build.refs.byName.set(node.name, [node])
}

function render(build: Build, extraBind: (node: FormNode) => Record<string, string>): string {
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
  if (build.refs.usesLastSaved)
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
  return `<?xml version="1.0"?>\n${serialize(html)}`
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
