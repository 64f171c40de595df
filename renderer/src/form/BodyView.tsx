import { useTranslation } from 'react-i18next'
import type { BodyNode, Repeat } from '../../../shared/forms/runtime/definition-types'
import type { InstanceNode } from '../../../shared/forms/runtime/instance'
import { Question } from './Question'
import type { FormSession } from './session'

export type BodyProps = {
  session: FormSession
  shown: Set<string>
  showAll: boolean
  onLeave: (node: InstanceNode) => void
  onError: (error: unknown) => void
}

/** The node for `path` at or below `context` (a repeat instance), else anywhere in the form. */
export function findNode(session: FormSession, context: InstanceNode, path: string): InstanceNode | undefined {
  if (context.path === path) return context
  if (path.startsWith(`${context.path}/`)) {
    let at: InstanceNode | undefined = context
    for (const name of path.slice(context.path.length + 1).split('/')) at = at?.children.find((c) => c.name === name)
    if (at) return at
  }
  return session.engine.nodesAt(path)[0]
}

export function BodyView({ nodes, context, ...props }: BodyProps & { nodes: BodyNode[]; context: InstanceNode }) {
  const { engine } = props.session
  return (
    <>
      {nodes.map((body, index) => {
        if (body.kind === 'repeat') return <RepeatView key={`${body.nodeset}-${index}`} repeat={body} context={context} {...props} />
        if (body.kind === 'group') {
          const node = body.ref ? findNode(props.session, context, body.ref) : context
          if (!node || !engine.isRelevant(node)) return null
          const label = engine.labels.render(body.label, node)
          return (
            <section key={`${body.ref ?? 'g'}-${index}`} className="form-group" data-page={body.ref ?? ''} aria-label={label || undefined}>
              {label && <h2>{label}</h2>}
              <BodyView nodes={body.children} context={node} {...props} />
            </section>
          )
        }
        const node = findNode(props.session, context, body.ref)
        if (!node || !engine.isRelevant(node)) return null
        return (
          <Question
            key={node.key}
            session={props.session}
            node={node}
            control={body}
            showProblem={props.showAll || props.shown.has(node.key)}
            onLeave={props.onLeave}
            onError={props.onError}
          />
        )
      })}
    </>
  )
}

function RepeatView({ repeat, context, ...props }: BodyProps & { repeat: Repeat; context: InstanceNode }) {
  const { t } = useTranslation()
  const { session } = props
  const parentPath = repeat.nodeset.slice(0, repeat.nodeset.lastIndexOf('/'))
  const parent = findNode(session, context, parentPath)
  if (!parent || !session.engine.isRelevant(parent)) return null
  const instances = parent.children.filter((c) => c.path === repeat.nodeset)
  const label = session.engine.labels.render(repeat.label, parent) || repeat.nodeset.split('/').pop()
  const canChange = !repeat.noAddRemove && !repeat.countExpr
  return (
    <section className="form-group repeat" data-page={repeat.nodeset} aria-label={label}>
      <h2>{label}</h2>
      {instances.map((instance, index) => (
        <fieldset key={instance.key} className="repeat-instance">
          <legend>{t('fill.repeatItem', { label, number: index + 1 })}</legend>
          <BodyView nodes={repeat.children} context={instance} {...props} />
          {canChange && (
            <button
              type="button"
              className="link danger"
              onClick={() => window.confirm(t('fill.removeConfirm', { label, number: index + 1 })) && session.removeRepeat(instance)}
            >
              {t('fill.remove', { label, number: index + 1 })}
            </button>
          )}
        </fieldset>
      ))}
      {canChange && (
        // In the Enter order (data-question-input): after a repeat's last answer, Enter adds another;
        // Tab moves on past it.
        <div data-question={`${parent.key}/add:${repeat.nodeset}`}>
          <button
            type="button"
            className="secondary"
            data-question-input=""
            onClick={(event) => {
              const section = event.currentTarget.closest('section')
              session.addRepeat(repeat.nodeset, parent)
              requestAnimationFrame(() => section?.querySelector<HTMLElement>('fieldset:last-of-type [data-question-input]')?.focus())
            }}
          >
            {t('fill.add', { label })}
          </button>
        </div>
      )}
    </section>
  )
}
