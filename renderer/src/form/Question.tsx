import { useTranslation } from 'react-i18next'
import type { Control } from '../../../shared/forms/runtime/definition-types'
import type { InstanceNode } from '../../../shared/forms/runtime/instance'
import type { FormSession } from './session'
import { problemOf } from './validation'
import { Widget } from './widgets/Widget'

type Props = {
  session: FormSession
  node: InstanceNode
  control: Control
  showProblem: boolean
  onLeave: (node: InstanceNode) => void
  onError: (error: unknown) => void
}

/** One question: label, hint, widget, and its problem once the person has left it. */
export function Question({ session, node, control, showProblem, onLeave, onError }: Props) {
  const { t } = useTranslation()
  const { engine } = session
  const labels = engine.labels
  const id = `q-${node.key.replace(/[^\w-]/g, '_')}`
  const label = labels.render(control.label, node)
  const hint = labels.render(control.hint, node)
  const state = engine.stateOf(node)
  const problem = showProblem ? problemOf(engine, node, t) : null
  const isNote = control.kind === 'input' && engine.isReadonly(node) && engine.binds.get(node.path)?.calculate === undefined && !node.value
  const choices = control.kind === 'select1' || control.kind === 'select' || control.kind === 'rank' ? labels.choices(control, node) : []
  const describedBy = [hint && `${id}-hint`, problem && `${id}-error`].filter(Boolean).join(' ')
  return (
    <div
      className={`question ${problem ? 'has-problem' : ''}`}
      data-question={node.key}
      onBlur={(event) => {
        if (!event.currentTarget.contains(event.relatedTarget)) onLeave(node)
      }}
    >
      <label className="question-label" htmlFor={id} id={`${id}-label`}>
        {label || node.name}
        {state.required && engine.isRelevant(node) && <span className="required" aria-label={t('fill.requiredMark')}> *</span>}
      </label>
      {hint && (
        <p className="question-hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
      {!isNote && (
        <Widget
          session={session}
          node={node}
          control={control}
          choices={choices}
          inputId={id}
          describedBy={describedBy}
          invalid={problem !== null}
          readOnly={engine.isReadonly(node)}
          onError={onError}
        />
      )}
      {problem && (
        <p className="question-problem" id={`${id}-error`} role="alert">
          {problem.message}
        </p>
      )}
    </div>
  )
}
