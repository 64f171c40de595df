import { pushTo, type Build } from './build-context'
import { exprSite } from './emit-binds'
import { defaultIsDynamic } from './expression-lexer'
import { nearestRepeat, walk, type FormNode, type QuestionNode } from './form-model'
import { resolveExpression } from './references'
import type { FormSheets } from './sheets'
import { el } from './xml-node'

/** Defaults that are expressions are set when the form loads (and when a repeat instance is added). */
function dynamicDefault(build: Build, q: QuestionNode): void {
  const value = q.row.values.default
  if (value === undefined || !defaultIsDynamic(value, q.def.bindType ?? q.type)) return
  const expr = resolveExpression(build.refs, value, exprSite(q, 'default'))
  build.modelActions.push(el('setvalue', { event: 'odk-instance-first-load', ref: q.path, value: expr }))
  const repeat = nearestRepeat(q)
  if (repeat) pushTo(build.repeatActions, repeat.path, el('setvalue', { event: 'odk-new-repeat', ref: q.path, value: expr }))
}

/** The `trigger` column: recompute this question's calculation when another question changes. */
function trigger(build: Build, q: QuestionNode): void {
  const text = q.row.values.trigger
  if (text === undefined) return
  const calc = q.row.values['bind::calculate']
  const value = calc === undefined ? undefined : resolveExpression(build.refs, calc, exprSite(q, 'bind::calculate'))
  if (calc !== undefined) build.triggered.add(q.path)
  for (const m of text.matchAll(/\$\{([^}]*)\}/g)) {
    const name = (m[1] ?? '').trim()
    const targets = build.refs.byName.get(name)
    if (!targets || targets.length !== 1 || !targets[0]) {
      build.diags.error(
        `The trigger '\${${name}}' refers to no question; use the name of a question from the 'survey' sheet.`,
        { sheet: 'survey', row: q.row.row, column: 'trigger' },
      )
      continue
    }
    pushTo(build.controlActions, targets[0].path, el('setvalue', { event: 'xforms-value-changed', ref: q.path, value }))
  }
}

function startGeopoint(build: Build, q: QuestionNode): void {
  if (q.type !== 'start-geopoint') return
  build.modelActions.push(el('odk:setgeopoint', { event: 'odk-instance-first-load', ref: q.path }))
}

/** Applies the features that add actions and instances; returns extra bind attributes per node. */
export function applyFeatures(build: Build, _sheets: FormSheets): (node: FormNode) => Record<string, string> {
  for (const node of walk(build.root)) {
    if (node.kind !== 'question') continue
    dynamicDefault(build, node)
    trigger(build, node)
    startGeopoint(build, node)
  }
  return () => ({})
}
