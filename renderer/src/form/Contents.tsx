import { useTranslation } from 'react-i18next'
import type { BodyNode } from '../../../shared/forms/runtime/definition-types'
import { findNode } from './BodyView'
import type { FormSession } from './session'

type Entry = { key: string; label: string; path: string; problems: number }

function entries(session: FormSession, problemKeys: Set<string>): Entry[] {
  const { engine } = session
  return engine.def.body.flatMap((node: BodyNode, index): Entry[] => {
    if (node.kind === 'group' && node.ref) {
      const target = findNode(session, engine.root, node.ref)
      if (!target || !engine.isRelevant(target)) return []
      const label = engine.labels.render(node.label, target) || target.name
      const problems = [...problemKeys].filter((key) => key.startsWith(`${target.key}/`)).length
      return [{ key: `${node.ref}-${index}`, label, path: node.ref, problems }]
    }
    if (node.kind === 'repeat') {
      const label = engine.labels.render(node.label, engine.root) || node.nodeset.split('/').pop() || ''
      return [{ key: `${node.nodeset}-${index}`, label, path: node.nodeset, problems: 0 }]
    }
    return []
  })
}

/** The form's groups as a list of links: a long questionnaire is navigable without scrolling. */
export function Contents({ session, problemKeys }: { session: FormSession; problemKeys: Set<string> }) {
  const { t } = useTranslation()
  const list = entries(session, problemKeys)
  if (list.length < 2) return null
  const jump = (path: string) => {
    const section = document.querySelector<HTMLElement>(`[data-page="${CSS.escape(path)}"]`)
    section?.querySelector<HTMLElement>('[data-question-input]')?.focus()
    section?.scrollIntoView({ block: 'start' })
  }
  return (
    <nav className="contents" aria-label={t('fill.contents')}>
      <details>
        <summary>{t('fill.contents')}</summary>
        <ol>
          {list.map((entry) => (
            <li key={entry.key}>
              <button type="button" className="link" onClick={() => jump(entry.path)}>
                {entry.label}
              </button>
              {entry.problems > 0 && <span className="contents-problems">{t('fill.problemsHere', { count: entry.problems })}</span>}
            </li>
          ))}
        </ol>
      </details>
    </nav>
  )
}
