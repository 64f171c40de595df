import { pushTo, type Build } from './build-context'
import { exprSite } from './emit-binds'
import { defaultIsDynamic } from './expression-lexer'
import { nearestRepeat, walk, type FormNode, type QuestionNode } from './form-model'
import { resolveExpression } from './references'
import type { FormSheets } from './sheets'
import { el } from './xml-node'
import { auditBind, backgroundAudio } from './question-params'

/** Defaults that are expressions are set when the form loads (and when a repeat instance is added). */
function dynamicDefault(build: Build, q: QuestionNode): void {
  const value = q.row.values.default
  if (value === undefined || !defaultIsDynamic(value, q.def.bindType ?? q.type)) return
  const expr = resolveExpression(build.refs, value, exprSite(q, 'default'))
  build.modelActions.push(
    el('setvalue', { event: 'odk-instance-first-load', ref: q.path, value: expr }),
  )
  const repeat = nearestRepeat(q)
  if (repeat)
    pushTo(
      build.repeatActions,
      repeat.path,
      el('setvalue', { event: 'odk-new-repeat', ref: q.path, value: expr }),
    )
}

function triggerError(build: Build, q: QuestionNode, message: string): void {
  build.diags.error(`On the 'survey' sheet, the 'trigger' value is invalid. ${message}`, {
    sheet: 'survey',
    row: q.row.row,
    column: 'trigger',
  })
}

/** Questions a person sees and answers: only their changes can trigger a recalculation. */
function userVisible(node: FormNode): boolean {
  if (node.kind !== 'question' || !node.def.control) return false
  const t = node.row.text
  return (
    node.row.values['bind::calculate'] === undefined ||
    t.label !== undefined ||
    t.hint !== undefined
  )
}

function triggerTargets(build: Build, q: QuestionNode, text: string): FormNode[] {
  if (!text.includes('${')) {
    triggerError(
      build,
      q,
      "Reference variables must start with '${', then a question name, and end with '}'.",
    )
    return []
  }
  if (!text.split(/[\s,]+/).every((t) => t === '' || /^\$\{[^}]+\}$/.test(t))) {
    triggerError(build, q, 'Reference variable lists must have a comma between each variable.')
    return []
  }
  const out: FormNode[] = []
  for (const m of text.matchAll(/\$\{([^}]*)\}/g)) {
    const name = (m[1] ?? '').trim()
    const targets = build.refs.byName.get(name)
    const target = targets?.[0]
    if (!target || targets.length !== 1) {
      triggerError(
        build,
        q,
        `Reference variables must contain a name from the 'survey' sheet. Could not find the name '${name}'.`,
      )
      continue
    }
    if (!userVisible(target)) {
      build.diags.error(
        `The question \${${name}} is not user-visible so it can't be used as a calculation trigger for question \${${q.name}}.`,
        {
          sheet: 'survey',
          row: q.row.row,
          column: 'trigger',
        },
      )
      continue
    }
    out.push(target)
  }
  return out
}

/** The `trigger` column: recompute this question (or take a geopoint) when another question changes. */
function trigger(build: Build, q: QuestionNode): void {
  const text = q.row.values.trigger
  const calc = q.row.values['bind::calculate']
  if (q.type === 'background-geopoint') {
    const at = { sheet: 'survey', row: q.row.row }
    if (text === undefined)
      build.diags.error(
        "For 'background-geopoint' questions, the 'trigger' column must not be empty.",
        { ...at, column: 'trigger' },
      )
    if (calc !== undefined)
      build.diags.error(
        "For 'background-geopoint' questions, the 'calculation' column must be empty.",
        { ...at, column: 'calculation' },
      )
  }
  if (text === undefined) return
  const targets = triggerTargets(build, q, text)
  if (q.type === 'background-geopoint') {
    for (const t of targets)
      pushTo(
        build.controlActions,
        t.path,
        el('odk:setgeopoint', { event: 'xforms-value-changed', ref: q.path }),
      )
    return
  }
  const value =
    calc === undefined
      ? undefined
      : resolveExpression(build.refs, calc, exprSite(q, 'bind::calculate'))
  if (calc !== undefined) build.triggered.add(q.path)
  for (const t of targets)
    pushTo(
      build.controlActions,
      t.path,
      el('setvalue', { event: 'xforms-value-changed', ref: q.path, value }),
    )
}

function startGeopoint(build: Build, q: QuestionNode): void {
  if (q.type !== 'start-geopoint') return
  build.modelActions.push(el('odk:setgeopoint', { event: 'odk-instance-first-load', ref: q.path }))
}

/** Applies the features that add actions and instances; returns extra bind attributes per node. */
export function applyFeatures(
  build: Build,
  _sheets: FormSheets,
): (node: FormNode) => Record<string, string> {
  for (const node of walk(build.root)) {
    if (node.kind !== 'question') continue
    dynamicDefault(build, node)
    trigger(build, node)
    startGeopoint(build, node)
    if (node.type === 'background-audio') backgroundAudio(build, node)
    if (node.type === 'audit') auditBind(build, node)
    if (
      node.type === 'calculate' &&
      !node.generated &&
      node.row.values['bind::calculate'] === undefined &&
      !defaultIsDynamic(node.row.values.default ?? '', 'string')
    )
      build.diags.error(
        `Missing calculation for the calculate question '${node.name}'; fill in the calculation column.`,
        { sheet: 'survey', row: node.row.row, column: 'calculation' },
      )
  }
  return () => ({})
}
