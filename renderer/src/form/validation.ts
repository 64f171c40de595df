import type { Control } from '../../../shared/forms/runtime/definition-types'
import type { FormEngine } from '../../../shared/forms/runtime/engine'
import type { InstanceNode } from '../../../shared/forms/runtime/instance'

export type Problem = { kind: 'required' | 'constraint' | 'type'; message: string }
type Translate = (key: string) => string

const typeChecks: Record<string, { test: RegExp; key: string }> = {
  int: { test: /^[-+]?\d+$/, key: 'fill.notWholeNumber' },
  integer: { test: /^[-+]?\d+$/, key: 'fill.notWholeNumber' },
  decimal: { test: /^[-+]?(\d+\.?\d*|\.\d+)$/, key: 'fill.notNumber' },
}

/** What is wrong with one answer, in the form's words where the form gives them. */
export function problemOf(engine: FormEngine, node: InstanceNode, t: Translate): Problem | null {
  if (!engine.isRelevant(node)) return null
  const bind = engine.binds.get(node.path)
  const state = engine.stateOf(node)
  if (node.value === '') {
    if (!state.required) return null
    return { kind: 'required', message: engine.labels.render(bind?.requiredMsg, node) || t('fill.required') }
  }
  const check = typeChecks[bind?.type ?? '']
  if (check && !check.test.test(node.value.trim())) return { kind: 'type', message: t(check.key) }
  if (!state.constraintOk) return { kind: 'constraint', message: engine.labels.render(bind?.constraintMsg, node) || t('fill.invalid') }
  return null
}

/** Every answerable node in document order with the control that answers it. */
export function answerableNodes(engine: FormEngine): Array<{ node: InstanceNode; control: Control }> {
  const found: Array<{ node: InstanceNode; control: Control }> = []
  const visit = (node: InstanceNode) => {
    const control = engine.controlAt(node.path)
    if (control && node.isLeaf) found.push({ node, control })
    node.children.forEach(visit)
  }
  visit(engine.root)
  return found
}

export function allProblems(engine: FormEngine, t: Translate): Array<{ node: InstanceNode; problem: Problem }> {
  return answerableNodes(engine)
    .map(({ node }) => ({ node, problem: problemOf(engine, node, t) }))
    .filter((entry): entry is { node: InstanceNode; problem: Problem } => entry.problem !== null)
}
