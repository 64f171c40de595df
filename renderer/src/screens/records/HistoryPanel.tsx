import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { HistoryEntry, RecordDetail } from '../../../../shared/api/records'
import { sameValue, type FieldValue } from '../../../../shared/records/values'
import { formatValue, type FormModel } from './form-model'
import { groupHistory, isTechnicalPath, type TimelineItem } from './history-groups'
import { useValueText } from './use-value-text'

type Props = {
  record: RecordDetail
  history: HistoryEntry[]
  model: FormModel
  onRestore: (path: string, opId: string) => void
}

type FieldItem = Extract<TimelineItem, { kind: 'field' }>

/** The record's timeline, newest first; each field change can put either of its values back. */
export function HistoryPanel({ record, history, model, onRestore }: Props) {
  const { t } = useTranslation()
  const [technical, setTechnical] = useState(false)
  const items = groupHistory(history).filter(
    (item) => technical || item.kind === 'event' || !isTechnicalPath(item.path),
  )
  return (
    <section className="history-panel" aria-labelledby="history-title">
      <div className="history-head">
        <h2 id="history-title">{t('history.title')}</h2>
        <label className="choice">
          <input
            type="checkbox"
            checked={technical}
            onChange={(e) => setTechnical(e.target.checked)}
          />
          {t('history.showTechnical')}
        </label>
      </div>
      {items.length === 0 && <p>{t('history.empty')}</p>}
      <ol className="timeline">
        {items.map((item) =>
          item.kind === 'event' ? (
            <EventItem key={item.entry.opId} entry={item.entry} />
          ) : (
            <FieldChange
              key={item.last.opId}
              item={item}
              record={record}
              model={model}
              onRestore={onRestore}
            />
          ),
        )}
      </ol>
    </section>
  )
}

/** Who and when, each isolated (bdi) so a Latin user name cannot scramble an Arabic date. */
function Meta({ entry, edits = 1 }: { entry: HistoryEntry; edits?: number }) {
  const { t, i18n } = useTranslation()
  const when = new Intl.DateTimeFormat(i18n.language, {
    dateStyle: 'medium',
    timeStyle: 'medium',
  }).format(entry.at)
  return (
    <p className="timeline-meta">
      <bdi>{entry.userId}</bdi> · <bdi>{when}</bdi>
      {edits > 1 && ` · ${t('history.edits', { count: edits })}`}
    </p>
  )
}

function EventItem({ entry }: { entry: HistoryEntry }) {
  const { t } = useTranslation()
  return (
    <li className={`timeline-entry kind-${entry.kind}`} data-kind={entry.kind}>
      <p className="timeline-what">{eventText(entry, t)}</p>
      <Meta entry={entry} />
    </li>
  )
}

function FieldChange({
  item,
  record,
  model,
  onRestore,
}: {
  item: FieldItem
  record: RecordDetail
  model: FormModel
  onRestore: Props['onRestore']
}) {
  const { t } = useTranslation()
  const valueText = useValueText()
  const column = model.column(item.path)
  const show = (value: unknown) => formatValue(value, column, valueText) || t('history.blank')
  const label = item.path === '#instanceName' ? t('history.recordName') : model.labelOf(item.path)
  // The record name follows the answers; restoring it alone would only make them disagree.
  const restorable = record.deletedAt === null && !isTechnicalPath(item.path)
  const canRestore = (value: unknown) =>
    restorable && !sameValue(record.values[item.path], value as FieldValue)
  const { first, last } = item
  return (
    <li className={`timeline-entry kind-${last.kind}`} data-kind={last.kind}>
      <p className="timeline-what">
        {last.kind === 'revert'
          ? t('history.restored', { field: label })
          : t('history.changed', { field: label })}
      </p>
      <p className="timeline-change">
        <span className="before">{show(first.before)}</span>
        <span aria-label={t('history.to')}> {t('history.arrow')} </span>
        <span className="after">{show(last.after)}</span>
      </p>
      <Meta entry={last} edits={item.count} />
      <div className="actions">
        {item.previousOpId && canRestore(first.before) && (
          <button
            type="button"
            className="secondary small"
            onClick={() => onRestore(item.path, item.previousOpId ?? '')}
          >
            {t('history.restoreValue', { value: show(first.before) })}
          </button>
        )}
        {canRestore(last.after) && (
          <button
            type="button"
            className="secondary small"
            onClick={() => onRestore(item.path, last.opId)}
          >
            {t('history.restoreValue', { value: show(last.after) })}
          </button>
        )}
      </div>
    </li>
  )
}

function eventText(
  entry: HistoryEntry,
  t: (key: string, options?: Record<string, unknown>) => string,
): string {
  switch (entry.kind) {
    case 'create': {
      const values = (entry.after as { values?: Record<string, unknown> } | null)?.values ?? {}
      return t('history.created', { count: Object.keys(values).length })
    }
    case 'status':
      return t('history.status', {
        before: typeof entry.before === 'string' ? t(`records.status_${entry.before}`) : '—',
        after: typeof entry.after === 'string' ? t(`records.status_${entry.after}`) : '—',
      })
    case 'delete':
      return t('history.deleted')
    case 'restore':
      return t('history.undeleted')
    default:
      return entry.kind
  }
}
