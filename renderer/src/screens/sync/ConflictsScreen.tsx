import { useEffect, useRef, useState, type KeyboardEvent } from 'react'
import { useTranslation } from 'react-i18next'
import type { SyncConflictView } from '../../../../shared/api/sync'
import { can } from '../../../../shared/api/permissions'
import type { FieldValue } from '../../../../shared/records/values'
import { useRole } from '../../stores/use-auth-store'
import { useNavStore } from '../../stores/use-nav-store'
import { useSyncStore } from '../../stores/use-sync-store'
import { formatValue, type FormModel } from '../records/form-model'
import { useValueText } from '../records/use-value-text'
import { useFormModels } from './use-form-models'
import { authorOf, conflictField, isDeletionConflict, isolate, parseTypedValue, winningSide } from './sync-summary'

/**
 * Open conflicts, oldest first: both values with who and when, the one every replica shows now,
 * and a choice (either side, or a new value; for a deletion: keep deleted or restore). Arrow keys
 * move between conflicts; after one is settled the focus goes to the next.
 */
export function ConflictsScreen({ recordId }: { recordId?: string | undefined }) {
  const { t } = useTranslation()
  const { conflicts, showConflicts, syncNow, status } = useSyncStore()
  const follow = useSyncStore((s) => s.follow)
  const go = useNavStore((s) => s.go)
  const models = useFormModels(conflicts)
  const list = useRef<HTMLOListElement>(null)
  const [loaded, setLoaded] = useState(false)
  // Others see what conflicts there are; the core refuses their resolutions as well.
  const mayResolve = can(useRole(), 'conflicts.resolve')
  useEffect(() => follow(), [follow])
  useEffect(() => {
    void showConflicts(recordId).then(() => setLoaded(true))
  }, [showConflicts, recordId])
  useEffect(() => {
    // The first open conflict takes the focus, also after the one above it was settled.
    if (loaded) list.current?.querySelector<HTMLElement>('.conflict')?.focus()
  }, [loaded, conflicts.length])

  const onKeyDown = (event: KeyboardEvent<HTMLOListElement>) => {
    if (event.key !== 'ArrowDown' && event.key !== 'ArrowUp') return
    if ((event.target as HTMLElement).tagName === 'INPUT') return
    const cards = [...(list.current?.querySelectorAll<HTMLElement>('.conflict') ?? [])]
    const at = cards.findIndex((card) => card.contains(document.activeElement))
    const next = cards[Math.max(0, Math.min(cards.length - 1, at + (event.key === 'ArrowDown' ? 1 : -1)))]
    if (next) {
      event.preventDefault()
      next.focus()
    }
  }

  return (
    <section className="screen conflicts-screen" data-testid="conflicts-screen" aria-labelledby="conflicts-title">
      <div className="home-head">
        <h1 id="conflicts-title">{t('conflicts.title')}</h1>
        <div className="actions">
          <button type="button" className="secondary" onClick={() => go({ name: 'home' })}>
            {t('sync.back')}
          </button>
          <button type="button" className="secondary" onClick={() => go({ name: 'sync' })}>
            {t('conflicts.toSync')}
          </button>
        </div>
      </div>
      <p className="muted">{t('conflicts.intro')}</p>
      {!mayResolve && conflicts.length > 0 && <p className="report">{t('conflicts.notAllowed')}</p>}
      {loaded && conflicts.length === 0 && (
        <div className="empty-state" data-testid="conflicts-empty">
          <h2>{t('conflicts.noneTitle')}</h2>
          {status?.enrolled && status.waiting > 0 ? (
            <p>
              {t('conflicts.sendResolutions', { count: status.waiting })}{' '}
              <button type="button" className="primary" onClick={() => void syncNow()} disabled={status.running}>
                {t('sync.line.syncNow')}
              </button>
            </p>
          ) : (
            <p>{t('conflicts.noneBody')}</p>
          )}
        </div>
      )}
      <ol className="conflict-list" ref={list} onKeyDown={onKeyDown} aria-label={t('conflicts.title')}>
        {conflicts.map((conflict, index) => (
          <ConflictCard
            key={conflict.id}
            conflict={conflict}
            position={index + 1}
            total={conflicts.length}
            model={conflict.record ? models.get(conflict.record.formVersionId) : undefined}
            mayResolve={mayResolve}
          />
        ))}
      </ol>
    </section>
  )
}

type CardProps = { conflict: SyncConflictView; position: number; total: number; model: FormModel | undefined; mayResolve: boolean }

function ConflictCard({ conflict, position, total, model, mayResolve }: CardProps) {
  const { t } = useTranslation()
  const deletion = isDeletionConflict(conflict.fieldPath)
  const field = conflictField(conflict.fieldPath)
  const label = model?.labelOf(field) ?? field
  const title = conflict.record?.name ?? t('conflicts.recordId', { id: conflict.recordId.slice(-8) })
  const headingId = `conflict-${conflict.id}`
  return (
    <li className="conflict" tabIndex={-1} aria-labelledby={headingId} data-testid="conflict" data-field={conflict.fieldPath}>
      <h2 id={headingId}>
        <span className="conflict-field">{deletion ? t('conflicts.deletionTitle') : label}</span>
        <span className="muted">
          {' · '}
          <bdi>{title}</bdi>
          {conflict.record ? (
            <>
              {' · '}
              <bdi>{conflict.record.formTitle}</bdi>
            </>
          ) : null}
          {' · '}
          {t('conflicts.position', { position, total })}
        </span>
      </h2>
      <fieldset className="conflict-choice" disabled={!mayResolve}>
        <legend className="visually-hidden">{t('conflicts.choose')}</legend>
        {deletion ? <DeletionChoice conflict={conflict} label={label} model={model} /> : <ValueChoice conflict={conflict} model={model} />}
      </fieldset>
    </li>
  )
}

function SideMeta({ side }: { side: SyncConflictView['a'] }) {
  const { t, i18n } = useTranslation()
  const author = authorOf(side)
  const at = isolate(new Intl.DateTimeFormat(i18n.language, { dateStyle: 'medium', timeStyle: 'short' }).format(side.at))
  return (
    <span className="conflict-meta" title={side.userId}>
      {author.hq
        ? author.user
          ? t('conflicts.byHqUser', { user: isolate(author.user), at })
          : t('conflicts.byHq', { at })
        : t('conflicts.by', { user: isolate(author.user ?? side.userId.slice(-8)), at })}
    </span>
  )
}

function ValueChoice({ conflict, model }: { conflict: SyncConflictView; model: FormModel | undefined }) {
  const { t } = useTranslation()
  const valueText = useValueText()
  const { resolve, resolving } = useSyncStore()
  const [typed, setTyped] = useState('')
  const column = model?.column(conflict.fieldPath)
  const shown = (value: unknown) => formatValue(value, column, valueText) || t('conflicts.empty')
  const winner = winningSide(conflict)
  const busy = resolving === conflict.id
  const example = typeof conflict.a.value === typeof conflict.b.value ? conflict.a.value : conflict.current
  return (
    <>
      <div className="conflict-sides">
        {(['a', 'b'] as const).map((key) => {
          const side = conflict[key]
          return (
            <div key={key} className={`conflict-side${winner === key ? ' winner' : ''}`} data-testid={`side-${key}`}>
              <span className="conflict-value">{shown(side.value)}</span>
              <SideMeta side={side} />
              {winner === key && <span className="conflict-current">{t('conflicts.shownNow')}</span>}
              <button type="button" className="secondary" disabled={busy} onClick={() => void resolve(conflict.id, side.value as FieldValue)}>
                {t('conflicts.keep', { value: isolate(shown(side.value)) })}
              </button>
            </div>
          )
        })}
      </div>
      <form
        className="conflict-typed"
        onSubmit={(event) => {
          event.preventDefault()
          void resolve(conflict.id, parseTypedValue(typed, example))
        }}
      >
        <label>
          <span>{t('conflicts.typeLabel')}</span>
          <input value={typed} onChange={(e) => setTyped(e.target.value)} disabled={busy} />
        </label>
        <button type="submit" className="secondary" disabled={busy || typed.trim() === ''}>
          {t('conflicts.useTyped')}
        </button>
      </form>
    </>
  )
}

function DeletionChoice({ conflict, label, model }: { conflict: SyncConflictView; label: string; model: FormModel | undefined }) {
  const { t } = useTranslation()
  const valueText = useValueText()
  const { resolve, resolving } = useSyncStore()
  const isDelete = (value: unknown) => typeof value === 'object' && value !== null && 'deleted' in value
  const [deletion, edit] = isDelete(conflict.a.value) ? [conflict.a, conflict.b] : [conflict.b, conflict.a]
  const field = conflictField(conflict.fieldPath)
  const edited = formatValue(edit.value, model?.column(field), valueText) || t('conflicts.empty')
  const busy = resolving === conflict.id
  const deletedNow = conflict.current === true
  return (
    <>
      <div className="conflict-sides">
        <div className={`conflict-side${deletedNow ? ' winner' : ''}`} data-testid="side-deleted">
          <span className="conflict-value">{t('conflicts.deleted')}</span>
          <SideMeta side={deletion} />
          {deletedNow && <span className="conflict-current">{t('conflicts.shownNow')}</span>}
          <button type="button" className="secondary danger" disabled={busy} onClick={() => void resolve(conflict.id, true)}>
            {t('conflicts.keepDeleted')}
          </button>
        </div>
        <div className={`conflict-side${deletedNow ? '' : ' winner'}`} data-testid="side-edited">
          <span className="conflict-value">{t('conflicts.edited', { field: isolate(label), value: isolate(edited) })}</span>
          <SideMeta side={edit} />
          {!deletedNow && <span className="conflict-current">{t('conflicts.shownNow')}</span>}
          <button type="button" className="secondary" disabled={busy} onClick={() => void resolve(conflict.id, false)}>
            {t('conflicts.restore')}
          </button>
        </div>
      </div>
    </>
  )
}
