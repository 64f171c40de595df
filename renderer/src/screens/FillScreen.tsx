import { useCallback, useEffect, useMemo, useRef, useState, useSyncExternalStore } from 'react'
import { useTranslation } from 'react-i18next'
import type { InstanceNode } from '../../../shared/forms/runtime/instance'
import { directionOf } from '../../../shared/text-direction'
import { call } from '../api/outpost'
import { BodyView } from '../form/BodyView'
import { Contents } from '../form/Contents'
import { handleFormKeys } from '../form/keyboard'
import { FormSession } from '../form/session'
import { allProblems, answerableNodes } from '../form/validation'
import { useAppStore } from '../stores/use-app-store'
import { useAuthStore } from '../stores/use-auth-store'
import { useNavStore } from '../stores/use-nav-store'
import { useToastStore } from '../stores/use-toast-store'

function useSession(formId: string, recordId: string | undefined) {
  const deviceId = useAppStore((s) => s.info?.deviceId ?? 'unknown-device')
  // The form's `username` metadata is the person signed in (ODK: the collector's user name).
  const username = useAuthStore((s) => s.status?.user?.username ?? '')
  const [session, setSession] = useState<FormSession | null>(null)
  useEffect(() => {
    let cancelled = false
    const load = async () => {
      const record = recordId ? await call('records.get', { id: recordId }) : null
      const form = await call('forms.get', { id: formId, media: true, ...(record ? { formVersionId: record.formVersionId } : {}) })
      if (!cancelled) setSession(new FormSession(form, record, { deviceId, username }))
    }
    load().catch((error: unknown) => {
      useToastStore.getState().showError(error)
      useNavStore.getState().go({ name: 'home' })
    })
    return () => {
      cancelled = true
    }
  }, [formId, recordId, deviceId, username])
  return session
}

export function FillScreen({ formId, recordId }: { formId: string; recordId?: string }) {
  const session = useSession(formId, recordId)
  if (!session) return <p aria-live="polite">…</p>
  return <FillView session={session} />
}

function FillView({ session }: { session: FormSession }) {
  const { t } = useTranslation()
  const go = useNavStore((s) => s.go)
  const showError = useToastStore((s) => s.showError)
  const root = useRef<HTMLFormElement>(null)
  const subscribe = useCallback((listener: () => void) => session.subscribe(listener), [session])
  const revision = useSyncExternalStore(subscribe, () => `${session.engine.revision}:${session.saveState}:${session.language ?? ''}`)
  const [shown, setShown] = useState(new Set<string>())
  const [showAll, setShowAll] = useState(false)
  const language = session.language
  useEffect(() => {
    // Heads-down entry starts at the first question without reaching for the mouse.
    root.current?.querySelector<HTMLElement>('[data-question-input]')?.focus()
  }, [])
  const onLeave = useCallback(
    (node: InstanceNode) => {
      void session.flush()
      setShown((prev) => (prev.has(node.key) ? prev : new Set(prev).add(node.key)))
    },
    [session],
  )
  useEffect(() => {
    // Closing the window or switching away: write what is pending.
    const onHide = () => void session.flush()
    window.addEventListener('pagehide', onHide)
    document.addEventListener('visibilitychange', onHide)
    return () => {
      window.removeEventListener('pagehide', onHide)
      document.removeEventListener('visibilitychange', onHide)
      void session.flush()
    }
  }, [session])
  const progress = useMemo(() => {
    void revision
    const relevant = answerableNodes(session.engine).filter(({ node }) => session.engine.isRelevant(node) && !session.engine.isReadonly(node))
    return { answered: relevant.filter(({ node }) => node.value !== '').length, total: relevant.length }
  }, [session, revision])

  const complete = async () => {
    const problems = allProblems(session.engine, t)
    if (problems.length > 0) {
      setShowAll(true)
      requestAnimationFrame(() => document.querySelector<HTMLElement>('.has-problem [data-question-input], .has-problem input')?.focus())
      return
    }
    try {
      await session.complete()
      go({ name: 'records', formId: session.form.formId })
    } catch (error) {
      showError(error)
    }
  }
  const close = async () => {
    await session.flush()
    go({ name: 'records', formId: session.form.formId })
  }
  const problems = showAll ? allProblems(session.engine, t) : []
  const problemCount = problems.length

  return (
    <form
      ref={root}
      className="fill"
      dir={language ? directionOf(language) : undefined}
      lang={language ? (/\(([\w-]+)\)\s*$/.exec(language)?.[1] ?? undefined) : undefined}
      onSubmit={(event) => event.preventDefault()}
      onKeyDown={(event) => handleFormKeys(event, root.current, () => void session.save())}
    >
      <header className="fill-head">
        <div>
          <h1>{session.form.title}</h1>
          <p className="fill-status" role="status" data-testid="save-state" data-state={session.saveState}>
            {t(`fill.save_${session.saveState}`)} · {t('fill.progress', progress)}
          </p>
        </div>
        {session.engine.labels.languages.length > 1 && (
          <label className="language-switcher">
            <span>{t('fill.formLanguage')}</span>
            <select value={language ?? ''} onChange={(e) => session.setLanguage(e.target.value)}>
              {session.engine.labels.languages.map((l) => (
                <option key={l} value={l}>
                  {l}
                </option>
              ))}
            </select>
          </label>
        )}
      </header>
      {(session.form.missingMedia?.length ?? 0) > 0 && (
        <p className="fill-missing-media" role="alert" data-testid="missing-media">
          {t('fill.missingMedia', { files: session.form.missingMedia?.join(', ') })}
        </p>
      )}
      <Contents session={session} problemKeys={new Set(problems.map((p) => p.node.key))} />
      {problemCount > 0 && (
        <p className="fill-problems" role="alert">
          {t('fill.problemsLeft', { count: problemCount })}
        </p>
      )}
      <BodyView nodes={session.engine.def.body} context={session.engine.root} session={session} shown={shown} showAll={showAll} onLeave={onLeave} onError={showError} />
      <footer className="fill-actions">
        <button type="button" className="secondary" onClick={() => void close()}>
          {t('fill.saveClose')}
        </button>
        <button type="button" className="primary" onClick={() => void complete()}>
          {t('fill.complete')}
        </button>
      </footer>
    </form>
  )
}
