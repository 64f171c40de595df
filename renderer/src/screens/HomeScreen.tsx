import { useEffect, useRef } from 'react'
import { useTranslation } from 'react-i18next'
import { can, type FormSummary } from '../../../shared/api'
import { ImportReportPanel } from '../components/ImportReportPanel'
import { useRole } from '../stores/use-auth-store'
import { useFormsStore } from '../stores/use-forms-store'
import { useNavStore } from '../stores/use-nav-store'
import { useToastStore } from '../stores/use-toast-store'

const accepted = '.xlsx,.xlsm,.csv,.md,.geojson,.xml'
const spreadsheet = /\.(xlsx|xlsm|md)$/i

/**
 * The form and the files it reads, chosen together: the spreadsheet is the .xlsx (or .md), or
 * the only file chosen (a CSV XLSForm); everything else is a file the form reads.
 */
export function splitChosenFiles<F extends { name: string }>(files: readonly F[]): { form: F; media: F[] } | null {
  const form = files.length === 1 ? files[0] : files.find((f) => spreadsheet.test(f.name))
  if (!form) return null
  return { form, media: files.filter((f) => f !== form) }
}

export function HomeScreen() {
  const { t } = useTranslation()
  const { forms, status, importing, report, load, importFile, clearReport } = useFormsStore()
  const input = useRef<HTMLInputElement>(null)
  const mayImport = can(useRole(), 'forms.import') // the core refuses others too; this only hides it
  useEffect(() => {
    void load()
  }, [load])

  const onFiles = (files: FileList | null) => {
    const chosen = files ? splitChosenFiles(Array.from(files)) : null
    if (chosen) void importFile(chosen.form, chosen.media)
    else if (files && files.length > 0) useToastStore.getState().showError({ code: 'validation', message: t('import.chooseSpreadsheet') })
    if (input.current) input.current.value = '' // choosing the same file again must import again
  }

  return (
    <section aria-labelledby="home-title" className="home">
      <div className="home-head">
        <h1 id="home-title">{t('home.title')}</h1>
        <button type="button" className="secondary dashboard-link" onClick={() => useNavStore.getState().go({ name: 'dashboard' })}>
          {t('dashboard.link')}
        </button>
        {mayImport && (
          <>
            <button type="button" className="primary" onClick={() => input.current?.click()} disabled={importing !== null}>
              {importing ? t('import.busy', { file: importing }) : t('import.button')}
            </button>
            <input
              ref={input}
              type="file"
              accept={accepted}
              multiple
              hidden
              data-testid="import-input"
              aria-label={t('import.button')}
              onChange={(event) => onFiles(event.target.files)}
            />
          </>
        )}
      </div>
      {report && <ImportReportPanel report={report} onClose={clearReport} />}
      {status === 'loading' && forms.length === 0 && <p aria-live="polite">{t('home.loading')}</p>}
      {status === 'ready' && forms.length === 0 && (
        <div className="empty-state" data-testid="forms-empty">
          <h2>{t('home.emptyTitle')}</h2>
          <p>{t('home.emptyBody')}</p>
        </div>
      )}
      {forms.length > 0 && (
        <ul className="form-list" aria-label={t('home.title')}>
          {forms.map((form) => (
            <FormRow key={form.id} form={form} />
          ))}
        </ul>
      )}
    </section>
  )
}

function FormRow({ form }: { form: FormSummary }) {
  const { t } = useTranslation()
  const go = useNavStore((s) => s.go)
  return (
    <li className="form-row">
      <div>
        <span className="form-title">{form.title}</span>
        <span className="form-meta">
          {t('home.latest', { version: form.latestVersion })} · {t('home.versions', { count: form.versionCount })} ·{' '}
          {t('home.records', { count: form.recordCount })}
        </span>
      </div>
      <div className="actions">
        <button type="button" className="secondary" onClick={() => go({ name: 'records', formId: form.id })} aria-label={t('home.openRecords', { title: form.title })}>
          {t('home.recordsButton')}
        </button>
        <button type="button" className="primary" onClick={() => go({ name: 'fill', formId: form.id })} aria-label={t('home.newRecord', { title: form.title })}>
          {t('home.fill')}
        </button>
      </div>
    </li>
  )
}
