import { useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { can } from '../../../shared/api'
import { UndoSnackbar } from '../components/UndoSnackbar'
import { useRole } from '../stores/use-auth-store'
import { useFormsStore } from '../stores/use-forms-store'
import { useNavStore } from '../stores/use-nav-store'
import { useRecordsStore } from '../stores/use-records-store'
import { ExportPanel } from './records/ExportPanel'
import { RecordDetailView } from './records/RecordDetailView'
import { RecordsFilters } from './records/RecordsFilters'
import { RecordsTable } from './records/RecordsTable'
import { useFormModel } from './records/use-form-model'

/** The records of one form: find, review, correct, delete and export them. */
export function RecordsScreen({ formId }: { formId: string }) {
  const { t } = useTranslation()
  const go = useNavStore((s) => s.go)
  const title = useFormsStore((s) => s.forms.find((f) => f.id === formId)?.title)
  const [formLanguage, setFormLanguage] = useState<string | null>(null)
  const { form, model } = useFormModel(formId, formLanguage)
  const [openId, setOpenId] = useState<string | null>(null)
  // After closing a record, the keyboard lands back on its row rather than on the page.
  const [returning, setReturning] = useState(false)
  const [exporting, setExporting] = useState(false)
  const mayExport = can(useRole(), 'records.export') // hidden here, refused by the core as well
  const open = useRecordsStore((s) => s.open)
  const total = useRecordsStore((s) => s.total)
  const totalOpen = useRecordsStore((s) => s.totalOpen)
  useEffect(() => open(formId), [formId, open])

  const edit = (recordId: string) => go({ name: 'fill', formId, recordId })
  return (
    <section className="records-screen" aria-labelledby="records-title">
      <div className="home-head">
        <h1 id="records-title">{title ?? form?.title ?? t('records.title')}</h1>
        <div className="actions">
          <button type="button" className="secondary" onClick={() => go({ name: 'home' })}>
            {t('records.back')}
          </button>
          {mayExport && (
            <button type="button" className="secondary" onClick={() => setExporting((v) => !v)} aria-expanded={exporting}>
              {t('export.button')}
            </button>
          )}
          <button type="button" className="primary" onClick={() => go({ name: 'fill', formId })}>
            {t('records.new')}
          </button>
        </div>
      </div>
      {exporting && mayExport && (
        <ExportPanel
          formId={formId}
          formName={fileSlug(title ?? form?.title ?? 'records')}
          onClose={() => setExporting(false)}
        />
      )}
      {model && model.languages.length > 1 && (
        <label className="language-switcher form-language">
          <span>{t('recordsScreen.formLanguage')}</span>
          <select value={model.language ?? ''} onChange={(e) => setFormLanguage(e.target.value)}>
            {model.languages.map((l) => (
              <option key={l} value={l}>
                {l}
              </option>
            ))}
          </select>
        </label>
      )}
      {model && openId && (
        <RecordDetailView
          id={openId}
          model={model}
          onClose={() => {
            setOpenId(null)
            setReturning(true)
            useRecordsStore.getState().refresh() // the record may have changed while open
          }}
          onEdit={(r) => edit(r.id)}
        />
      )}
      {model && !openId && (
        <>
          <RecordsFilters model={model} />
          <BulkActions />
          <p className="records-count" aria-live="polite">
            {total === null
              ? t('recordsScreen.loading')
              : t(totalOpen ? 'recordsScreen.countAtLeast' : 'records.count', { count: total })}
          </p>
          {total === 0 ? (
            <p className="empty-state">{t('recordsScreen.none')}</p>
          ) : (
            <RecordsTable
              focusOnMount={returning}
              model={model}
              onOpen={(row) => setOpenId(row.id)}
              onEdit={(row) => edit(row.id)}
            />
          )}
        </>
      )}
      <UndoSnackbar />
    </section>
  )
}

/** Actions on the ticked records; the same keys work on the focused row when nothing is ticked. */
function BulkActions() {
  const { t } = useTranslation()
  const selected = useRecordsStore((s) => s.selected)
  const deleted = useRecordsStore((s) => s.query.deleted)
  const { complete, remove, restore, setSelected } = useRecordsStore()
  const ids = [...selected]
  if (ids.length === 0) return <p className="bulk-hint">{t('recordsScreen.keyboardHint')}</p>
  return (
    <div className="bulk-actions" role="toolbar" aria-label={t('recordsScreen.bulkActions')}>
      <span>{t('recordsScreen.selectedCount', { count: ids.length })}</span>
      {deleted ? (
        <button type="button" className="secondary" onClick={() => void restore(ids)}>
          {t('recordsScreen.restore')}
        </button>
      ) : (
        <>
          <button type="button" className="secondary" onClick={() => void complete(ids)}>
            {t('recordsScreen.markComplete')}
          </button>
          <button type="button" className="secondary danger" onClick={() => void remove(ids)}>
            {t('recordsScreen.delete')}
          </button>
        </>
      )}
      <button type="button" className="link" onClick={() => setSelected([])}>
        {t('recordsScreen.clearSelection')}
      </button>
    </div>
  )
}

/** A file name from the form title: letters and digits of any script, words joined by '-'. */
function fileSlug(title: string): string {
  return (
    title
      .trim()
      .toLowerCase()
      .replace(/[^\p{L}\p{N}]+/gu, '-')
      .replace(/^-|-$/g, '') || 'records'
  )
}
