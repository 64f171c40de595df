import { useEffect, useRef } from 'react'
import { useTranslation } from 'react-i18next'
import { can, type FormSummary } from '../../../shared/api'
import { ImportReportPanel } from '../components/ImportReportPanel'
import { useRole } from '../stores/use-auth-store'
import { useFormsStore } from '../stores/use-forms-store'
import { useNavStore } from '../stores/use-nav-store'

const accepted = '.xlsx,.xlsm,.csv,.md'

export function HomeScreen() {
  const { t } = useTranslation()
  const { forms, status, importing, report, load, importFile, clearReport } = useFormsStore()
  const input = useRef<HTMLInputElement>(null)
  const mayImport = can(useRole(), 'forms.import') // the core refuses others too; this only hides it
  useEffect(() => {
    void load()
  }, [load])

  const onFiles = (files: FileList | null) => {
    const file = files?.[0]
    if (file) void importFile(file)
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
