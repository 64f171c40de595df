import { useEffect, useRef } from 'react'
import { useTranslation } from 'react-i18next'
import type { RecordDetail } from '../../../../shared/api/records'
import {
  isRepeatValue,
  type FieldValue,
  type RepeatInstance,
} from '../../../../shared/records/values'
import { useRecordsStore } from '../../stores/use-records-store'
import { formatValue, type FormModel, type ValueText } from './form-model'
import { AttachmentsPanel } from './AttachmentsPanel'
import { HistoryPanel } from './HistoryPanel'
import { useFormModel } from './use-form-model'
import { useRecordDetail } from './use-record-detail'
import { useValueText } from './use-value-text'

type Props = {
  id: string
  model: FormModel
  onClose: () => void
  onEdit: (record: RecordDetail) => void
}

/** One record read-only, every question with its answer, beside its history. Escape goes back. */
export function RecordDetailView({ id, model: latest, onClose, onEdit }: Props) {
  const { t, i18n } = useTranslation()
  const { record, history, reload, restoreField } = useRecordDetail(id)
  const { model: ofVersion } = useFormModel(
    record?.formId ?? null,
    latest.language,
    record?.formVersionId,
  )
  const model = ofVersion ?? latest
  const remove = useRecordsStore((s) => s.remove)
  const restore = useRecordsStore((s) => s.restore)
  const complete = useRecordsStore((s) => s.complete)
  const heading = useRef<HTMLHeadingElement>(null)
  useEffect(() => heading.current?.focus(), [record?.id])
  useEffect(() => {
    // On the document: a restore button that did its job disappears and leaves focus on <body>.
    const onKey = (event: KeyboardEvent) => {
      const field =
        event.target instanceof HTMLElement && event.target.closest('input, select, textarea')
      if (event.key === 'Escape' && !field && !event.defaultPrevented) onClose()
    }
    document.addEventListener('keydown', onKey)
    return () => document.removeEventListener('keydown', onKey)
  }, [onClose])
  if (!record) return <p aria-live="polite">{t('recordsScreen.loadingRecord')}</p>
  const name = record.instanceName ?? record.id.slice(-8)
  const when = new Intl.DateTimeFormat(i18n.language, { dateStyle: 'medium', timeStyle: 'short' })
  const run = (action: Promise<void>) => void action.then(reload)
  return (
    <div className="record-detail">
      <div className="home-head">
        <div>
          <h2 ref={heading} tabIndex={-1} className="record-title">
            {name}
          </h2>
          <p className="form-meta">
            {t(`records.status_${record.status}`)} ·{' '}
            {t('recordsScreen.createdBy', {
              user: record.createdBy,
              when: when.format(record.createdAt),
            })}
            {record.deletedAt !== null && ` · ${t('recordsScreen.inBin')}`}
          </p>
        </div>
        <div className="actions">
          <button type="button" className="secondary" onClick={onClose}>
            {t('recordsScreen.backToList')}
          </button>
          {record.deletedAt === null ? (
            <>
              <button type="button" className="primary" onClick={() => onEdit(record)}>
                {t('recordsScreen.edit')}
              </button>
              {record.status === 'draft' && (
                <button
                  type="button"
                  className="secondary"
                  onClick={() => run(complete([record.id]))}
                >
                  {t('recordsScreen.markComplete')}
                </button>
              )}
              <button
                type="button"
                className="secondary danger"
                onClick={() => run(remove([record.id]))}
              >
                {t('recordsScreen.delete')}
              </button>
            </>
          ) : (
            <button type="button" className="secondary" onClick={() => run(restore([record.id]))}>
              {t('recordsScreen.restore')}
            </button>
          )}
        </div>
      </div>
      <div className="record-detail-body">
        <div className="record-detail-main">
          <Answers record={record} model={model} />
          <AttachmentsPanel record={record} labelOf={(path) => model.labelOf(path)} />
        </div>
        <HistoryPanel
          record={record}
          history={history}
          model={model}
          onRestore={(path, opId) => void restoreField(path, opId)}
        />
      </div>
    </div>
  )
}

function Answers({ record, model }: { record: RecordDetail; model: FormModel }) {
  const { t } = useTranslation()
  const valueText = useValueText()
  return (
    <section className="answers" aria-labelledby="answers-title">
      <h2 id="answers-title">{t('recordsScreen.answers')}</h2>
      <dl className="answer-list">
        {model.columns.map((column) => {
          const value: FieldValue | undefined = record.values[column.path]
          return (
            <div key={column.path} className="answer" data-path={column.path}>
              <dt>{column.label}</dt>
              <dd>
                {isRepeatValue(value) ? (
                  <ol className="repeat-answers">
                    {value.map((instance, i) => (
                      <li key={i}>
                        {repeatSummary(instance, column.path, model, valueText) ||
                          t('recordsScreen.unanswered')}
                      </li>
                    ))}
                  </ol>
                ) : (
                  formatValue(value, column, valueText) || (
                    <span className="unanswered">{t('recordsScreen.unanswered')}</span>
                  )
                )}
              </dd>
            </div>
          )
        })}
      </dl>
    </section>
  )
}

/** "Member name: Kofi · Age: 7", leaving out what was not answered. */
function repeatSummary(
  instance: RepeatInstance,
  repeatPath: string,
  model: FormModel,
  text: ValueText,
): string {
  return Object.entries(instance)
    .map(([path, value]) => [
      model.labelOf(path),
      formatValue(value, model.column(`${repeatPath}/${path}`), text),
    ])
    .filter(([, shown]) => shown !== '')
    .map(([label, shown]) => `${label}: ${shown}`)
    .join(' · ')
}
