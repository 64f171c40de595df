import type { Build } from './build-context'
import { readChoices } from './choices'
import { readRows } from './columns'
import { Diagnostics, FormStop, type Diagnostic } from './diagnostics'
import { walk, type SectionNode } from './form-model'
import type { FormDefinition } from './form-definition'
import { render } from './render'
import type { FormRow } from './columns'
import { validateForm } from './validate'
import { readSettings, yesNo } from './settings'
import { findSheets, type FormSheets } from './sheets'
import {
  checkChoiceHeaders,
  checkSurveyHeaders,
  warnLanguageCodes,
  warnSimilarSheets,
} from './sheet-checks'
import { addMeta } from './meta'
import { expandLoops } from './loops'
import { addRepeatCounts } from './repeat-count'
import { expandTableLists } from './table-list'
import { assignPaths, buildSurveyTree, namePattern, nameRule } from './survey-tree'
import type { Workbook } from './workbook'
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
  /** The same form as typed JSON (present when ok). */
  form?: FormDefinition
  diagnostics: Diagnostic[]
  errors: Diagnostic[]
  warnings: Diagnostic[]
}

function result(diags: Diagnostics, output?: Output): CompileResult {
  const ok = !diags.hasErrors() && output !== undefined
  return {
    ok,
    xml: ok ? output?.xml : undefined,
    form: ok ? output?.form : undefined,
    diagnostics: diags.sorted(),
    errors: diags.errors,
    warnings: diags.warnings,
  }
}

/** Compiles an XLSForm workbook to an ODK XForm. Never throws for a bad form: it reports. */
export function compileWorkbook(workbook: Workbook, options: CompileOptions = {}): CompileResult {
  const diags = new Diagnostics()
  try {
    return result(diags, compileOrStop(workbook, options, diags))
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

type Output = { xml: string; form: FormDefinition }

/** settings `clean_text_values` (on by default): runs of spaces in survey cells collapse to one. */
function cleanText(rows: FormRow[]): void {
  for (const row of rows) {
    for (const key in row.values) row.values[key] = (row.values[key] ?? '').replace(/ {2,}/g, ' ')
    for (const byLang of Object.values(row.text))
      for (const l in byLang) byLang[l] = (byLang[l] ?? '').replace(/ {2,}/g, ' ')
  }
}

function newBuild(
  root: SectionNode,
  settings: { values: Record<string, string>; row: number },
  options: CompileOptions,
  diags: Diagnostics,
): Build {
  return {
    formName: root.name,
    titleFallback: options.formId ?? root.name,
    root,
    settings: { ...settings.values, form_id: settings.values.form_id ?? options.formId ?? 'data' },
    settingsRow: settings.row,
    choices: new Map(),
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
}

/** Reshapes the tree the way pyxform does before any output: loops, meta, counts, table-lists. */
function prepareTree(build: Build): void {
  expandLoops(build)
  if (yesNo(build.settings.flat) === true)
    for (const n of walk(build.root)) if (n.kind === 'group') n.flat = true
  addMeta(build)
  addRepeatCounts(build)
  expandTableLists(build)
  assignPaths(build.root, '')
  indexNames(build)
  validateForm(build)
}

function addEntities(build: Build, sheets: FormSheets, rows: FormRow[]): void {
  const entities = readEntities(build, sheets.entities)
  build.entityLists = new Set(entities.map((e) => e.listName))
  allocateEntities(build, entities, readSaveTo(build, rows, entities))
  addEntityNodes(build, entities)
  assignPaths(build.root, '')
  externalInstances(build)
  build.entityBinds = entityBinds(build, entities)
  if (entities.length > 0) build.entitiesVersion = entitiesVersion(entities, build.root)
}

function compileOrStop(
  workbook: Workbook,
  options: CompileOptions,
  diags: Diagnostics,
): Output | undefined {
  const sheets = findSheets(workbook, diags)
  checkSurveyHeaders(sheets.survey, diags)
  checkChoiceHeaders(sheets.choices, diags)
  warnSimilarSheets(sheets, diags)
  warnLanguageCodes([sheets.survey, ...(sheets.choices ? [sheets.choices] : [])], diags)
  const settings = readSettings(sheets.settings)
  const formName = formNameFrom(settings.values, options, diags, settings.row)
  const rows = readRows(sheets.survey, 'default')
  // pyxform cleans survey text unless the settings say clean_text_values = no.
  if (yesNo(settings.values.clean_text_values) !== false) cleanText(rows)
  const build = newBuild(buildSurveyTree(formName, rows, diags), settings, options, diags)
  build.choices = readChoices(sheets.choices, 'default', diags)
  build.similarSheets = sheets.similar
  if (sheets.osm) build.osmLists = readChoices(sheets.osm, 'default', diags, 'osm')
  if (sheets.externalChoices)
    build.externalChoices = readChoices(
      sheets.externalChoices,
      'default',
      diags,
      'external_choices',
    )
  prepareTree(build)
  addEntities(build, sheets, rows)
  const extraBind = applyFeatures(build, sheets)
  // Render even when problems were found: resolving references and parameters finds the rest,
  // so the author sees every problem in one pass.
  const output = render(build, extraBind)
  return diags.hasErrors() ? undefined : output
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
