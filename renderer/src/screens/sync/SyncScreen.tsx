import { useEffect, useRef, useState, type FormEvent } from 'react'
import { useTranslation } from 'react-i18next'
import { can } from '../../../../shared/api/permissions'
import type { SyncStatus } from '../../../../shared/api/sync'
import { useRole } from '../../stores/use-auth-store'
import { useNavStore } from '../../stores/use-nav-store'
import { useSyncStore } from '../../stores/use-sync-store'
import { clockTime, relativeTime, summarizeSync, toneOf } from './sync-summary'
import { useNow, useSyncStateText } from './SyncStatusLine'

/** Enrollment once, then where sync stands, what it could not send and why, and its controls. */
export function SyncScreen() {
  const { t } = useTranslation()
  const status = useSyncStore((s) => s.status)
  const follow = useSyncStore((s) => s.follow)
  const go = useNavStore((s) => s.go)
  // The core refuses enrollment to others too; this only spares them a form they cannot use.
  const mayEnroll = can(useRole(), 'sync.manage')
  useEffect(() => follow(), [follow])
  return (
    <section className="screen sync-screen" data-testid="sync-screen" aria-labelledby="sync-title">
      <div className="home-head">
        <h1 id="sync-title">{t('sync.title')}</h1>
        <button type="button" className="secondary" onClick={() => go({ name: 'home' })}>
          {t('sync.back')}
        </button>
      </div>
      {!status && <p>{t('sync.loading')}</p>}
      {status && !status.enrolled && (mayEnroll ? <EnrollForm /> : <p className="empty-state">{t('sync.enroll.notAllowed')}</p>)}
      {status?.enrolled && <SyncDetails status={status} />}
    </section>
  )
}

function EnrollForm() {
  const { t } = useTranslation()
  const { enroll, enrolling, enrollError } = useSyncStore()
  const [registryUrl, setUrl] = useState('')
  const [code, setCode] = useState('')
  const [deviceName, setName] = useState('')
  const first = useRef<HTMLInputElement>(null)
  useEffect(() => first.current?.focus(), [])
  const submit = (event: FormEvent) => {
    event.preventDefault()
    void enroll({ registryUrl: registryUrl.trim(), code: code.trim(), deviceName: deviceName.trim() || t('sync.enroll.defaultName') })
  }
  const errorTitle = enrollError
    ? t(`sync.enroll.error.${['offline', 'unauthorized', 'conflict', 'validation'].includes(enrollError.code) ? enrollError.code : 'other'}`)
    : ''
  return (
    <form className="enroll-form" onSubmit={submit} aria-describedby="enroll-intro">
      <p id="enroll-intro">{t('sync.enroll.intro')}</p>
      <label>
        <span>{t('sync.enroll.url')}</span>
        <input ref={first} type="url" required value={registryUrl} onChange={(e) => setUrl(e.target.value)} placeholder="https://registry.example.org" />
      </label>
      <label>
        <span>{t('sync.enroll.code')}</span>
        <input required minLength={4} maxLength={64} value={code} onChange={(e) => setCode(e.target.value)} autoComplete="off" spellCheck={false} />
      </label>
      <label>
        <span>{t('sync.enroll.deviceName')}</span>
        <input maxLength={120} value={deviceName} onChange={(e) => setName(e.target.value)} placeholder={t('sync.enroll.defaultName')} />
      </label>
      {enrollError && (
        <div className="report failure" role="alert" data-testid="enroll-error" data-code={enrollError.code}>
          <strong>{errorTitle}</strong>
          <p>{enrollError.message}</p>
        </div>
      )}
      <button type="submit" className="primary" disabled={enrolling}>
        {enrolling ? t('sync.enroll.busy') : t('sync.enroll.submit')}
      </button>
    </form>
  )
}

function SyncDetails({ status }: { status: SyncStatus }) {
  const { t, i18n } = useTranslation()
  const { syncNow, cancel, rejections, loadRejections } = useSyncStore()
  const go = useNavStore((s) => s.go)
  const now = useNow()
  const text = useSyncStateText()
  const state = summarizeSync(status)
  useEffect(() => {
    void loadRejections()
  }, [loadRejections, status.rejections])
  const when = (at: number | null) =>
    at === null ? t('sync.details.never') : `${clockTime(at, now, i18n.language)} (${relativeTime(at, now, i18n.language) ?? t('sync.details.justNow')})`
  return (
    <>
      <div className={`sync-banner tone-${toneOf(state)}`} data-testid="sync-banner" data-state={state.kind}>
        <span className="sync-dot" aria-hidden="true" />
        <span aria-live="polite">{text(state, now)}</span>
        {status.running && status.progress.total ? (
          <progress value={status.progress.done} max={status.progress.total} aria-label={t('sync.details.progress')} />
        ) : null}
        <span className="sync-actions">
          {status.running ? (
            <button type="button" className="secondary" onClick={() => void cancel()}>
              {t('sync.details.cancel')}
            </button>
          ) : (
            <button type="button" className="primary" onClick={() => void syncNow()}>
              {t('sync.line.syncNow')}
            </button>
          )}
        </span>
      </div>
      <dl className="sync-facts">
        <dt>{t('sync.details.registry')}</dt>
        <dd>{status.registryUrl}</dd>
        <dt>{t('sync.details.lastSuccess')}</dt>
        <dd>{when(status.lastSuccessAt)}</dd>
        <dt>{t('sync.details.waiting')}</dt>
        <dd>{t('sync.line.waiting', { count: status.waiting })}</dd>
        <dt>{t('sync.details.conflicts')}</dt>
        <dd>
          {status.conflicts === 0 ? (
            t('sync.details.noConflicts')
          ) : (
            <button type="button" className="link" onClick={() => go({ name: 'conflicts' })}>
              {t('sync.line.conflicts', { count: status.conflicts })}
            </button>
          )}
        </dd>
        {status.nextAttemptAt !== null && !status.running && (
          <>
            <dt>{t('sync.details.nextAttempt')}</dt>
            <dd>{clockTime(status.nextAttemptAt, now, i18n.language)}</dd>
          </>
        )}
        {status.lastError && (
          <>
            <dt>{t('sync.details.lastError')}</dt>
            <dd className="sync-error" data-testid="sync-last-error">
              {status.lastError.message}
            </dd>
          </>
        )}
      </dl>
      <h2>{t('sync.rejections.title')}</h2>
      {rejections.length === 0 ? (
        <p className="muted">{t('sync.rejections.none')}</p>
      ) : (
        <>
          <p className="muted">{t('sync.rejections.intro')}</p>
          <table className="sync-rejections" data-testid="sync-rejections-table">
            <thead>
              <tr>
                <th scope="col">{t('sync.rejections.record')}</th>
                <th scope="col">{t('sync.rejections.reason')}</th>
                <th scope="col">{t('sync.rejections.when')}</th>
              </tr>
            </thead>
            <tbody>
              {rejections.map((r) => (
                <tr key={r.recordId}>
                  <td>
                    <strong>{r.record?.name ?? r.recordId.slice(-8)}</strong>
                    <div className="muted">
                      {r.record?.formTitle} · {t('sync.rejections.changes', { count: r.ops })}
                    </div>
                  </td>
                  <td>
                    {t(`sync.rejections.code.${['validation', 'forbidden', 'not_found', 'conflict'].includes(r.code) ? r.code : 'other'}`)}
                    <div className="muted" lang="en">
                      {r.message}
                    </div>
                  </td>
                  <td>{clockTime(r.rejectedAt, now, i18n.language)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </>
  )
}
