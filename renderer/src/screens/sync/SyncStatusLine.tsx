import { useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { useNavStore } from '../../stores/use-nav-store'
import { useSyncStore } from '../../stores/use-sync-store'
import { clockTime, relativeTime, summarizeSync, toneOf, type SyncState } from './sync-summary'

/** The current time, moved on every `everyMs`: "5 minutes ago" must age while the screen stays open. */
export function useNow(everyMs = 30_000): number {
  const [now, setNow] = useState(() => Date.now())
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), everyMs)
    return () => clearInterval(timer)
  }, [everyMs])
  return now
}

/** The words for a sync state, shared by the header line and the sync screen. */
export function useSyncStateText(): (state: SyncState, now: number) => string {
  const { t, i18n } = useTranslation()
  return (state, now) => {
    const next = (at: number | null) => (at === null ? '' : ` · ${t('sync.line.nextTry', { time: clockTime(at, now, i18n.language) })}`)
    switch (state.kind) {
      case 'notEnrolled':
        return t('sync.line.notEnrolled')
      case 'never':
        return t('sync.line.never')
      case 'synced': {
        const ago = relativeTime(state.at, now, i18n.language)
        return ago ? t('sync.line.synced', { ago }) : t('sync.line.justNow')
      }
      case 'syncing': {
        const progress = state.total ? `${state.done}/${state.total}` : state.done > 0 ? String(state.done) : ''
        return t(`sync.line.phase.${state.phase}`, { progress }).trim()
      }
      case 'offline':
        return t('sync.line.offline') + next(state.nextAttemptAt)
      case 'failed':
        return t('sync.line.failed') + next(state.nextAttemptAt)
    }
  }
}

/** Always in the header: where sync stands, what waits, what needs a person, and "Sync now". */
export function SyncStatusLine() {
  const { t } = useTranslation()
  const status = useSyncStore((s) => s.status)
  const follow = useSyncStore((s) => s.follow)
  const syncNow = useSyncStore((s) => s.syncNow)
  const go = useNavStore((s) => s.go)
  const now = useNow()
  const text = useSyncStateText()
  useEffect(() => follow(), [follow])
  if (!status) return null
  const state = summarizeSync(status)
  return (
    <div className="sync-line" role="group" aria-label={t('sync.line.label')} data-testid="sync-line" data-state={state.kind}>
      <button
        type="button"
        className={`sync-state tone-${toneOf(state)}`}
        onClick={() => go({ name: 'sync' })}
        title={state.kind === 'failed' ? state.message : t('sync.line.open')}
      >
        <span className="sync-dot" aria-hidden="true" />
        <span aria-live="polite">{text(state, now)}</span>
      </button>
      {status.enrolled && status.waiting > 0 && (
        <span className="sync-waiting" data-testid="sync-waiting">
          {t('sync.line.waiting', { count: status.waiting })}
        </span>
      )}
      {status.conflicts > 0 && (
        <button type="button" className="sync-badge warn" onClick={() => go({ name: 'conflicts' })} data-testid="sync-conflicts">
          {t('sync.line.conflicts', { count: status.conflicts })}
        </button>
      )}
      {status.rejections > 0 && (
        <button type="button" className="sync-badge error" onClick={() => go({ name: 'sync' })} data-testid="sync-rejections">
          {t('sync.line.rejections', { count: status.rejections })}
        </button>
      )}
      {status.enrolled && (
        <button type="button" className="sync-now" onClick={() => void syncNow()} disabled={status.running}>
          {t('sync.line.syncNow')}
        </button>
      )}
    </div>
  )
}
