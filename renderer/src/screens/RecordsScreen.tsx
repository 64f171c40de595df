import { useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { RecordSummary } from '../../../shared/api/records'
import { call } from '../api/outpost'
import { useFormsStore } from '../stores/use-forms-store'
import { useNavStore } from '../stores/use-nav-store'
import { useToastStore } from '../stores/use-toast-store'

/** The records of one form, newest first: continue a draft, open a finished record. */
export function RecordsScreen({ formId }: { formId: string }) {
  const { t, i18n } = useTranslation()
  const go = useNavStore((s) => s.go)
  const form = useFormsStore((s) => s.forms.find((f) => f.id === formId))
  const [rows, setRows] = useState<RecordSummary[] | null>(null)
  const [total, setTotal] = useState(0)
  useEffect(() => {
    call('records.list', { formId, limit: 200 })
      .then((result) => {
        setRows(result.rows)
        setTotal(result.total ?? result.rows.length)
      })
      .catch((error: unknown) => useToastStore.getState().showError(error))
  }, [formId])
  const when = new Intl.DateTimeFormat(i18n.language, { dateStyle: 'medium', timeStyle: 'short' })
  return (
    <section className="records" aria-labelledby="records-title">
      <div className="home-head">
        <h1 id="records-title">{form?.title ?? t('records.title')}</h1>
        <div className="actions">
          <button type="button" className="secondary" onClick={() => go({ name: 'home' })}>
            {t('records.back')}
          </button>
          <button type="button" className="primary" onClick={() => go({ name: 'fill', formId })}>
            {t('records.new')}
          </button>
        </div>
      </div>
      {rows && rows.length === 0 && <p className="empty-state">{t('records.empty')}</p>}
      {rows && rows.length > 0 && (
        <table className="records-table" aria-label={t('records.title')}>
          <caption>{t('records.count', { count: total })}</caption>
          <thead>
            <tr>
              <th scope="col">{t('records.name')}</th>
              <th scope="col">{t('records.status')}</th>
              <th scope="col">{t('records.updated')}</th>
              <th scope="col">
                <span className="visually-hidden">{t('records.actions')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr key={row.id} data-status={row.status}>
                <td>{row.instanceName ?? row.id.slice(-8)}</td>
                <td>{t(`records.status_${row.status}`)}</td>
                <td>{when.format(row.updatedAt)}</td>
                <td>
                  <button type="button" className="link" onClick={() => go({ name: 'fill', formId, recordId: row.id })}>
                    {row.status === 'draft' ? t('records.continue') : t('records.edit')}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  )
}
