import { useEffect, useState, type FormEvent } from 'react'
import { useTranslation } from 'react-i18next'
import type { RecordsExportResult } from '../../../../shared/api/records'
import { call, getApi } from '../../api/outpost'
import { PathField } from '../../components/PathField'
import { useToastStore } from '../../stores/use-toast-store'

type Progress = { phase: 'scan' | 'write' | 'done'; done: number; total: number }

const today = () => new Date().toISOString().slice(0, 10)

/** Swaps the extension when the format changes, unless the person typed their own name. */
function withExtension(path: string, format: 'csv' | 'xlsx'): string {
  return /\.(csv|xlsx)$/i.test(path) ? path.replace(/\.(csv|xlsx)$/i, `.${format}`) : path
}

/**
 * Export choices, progress and the summary. The path is picked in the system's Save dialog in the
 * desktop app, or typed (the browser build has none); the core resolves a relative path against
 * its working folder.
 */
export function ExportPanel({
  formId,
  formName,
  onClose,
}: {
  formId: string
  formName: string
  onClose: () => void
}) {
  const { t } = useTranslation()
  const [format, setFormat] = useState<'csv' | 'xlsx'>('xlsx')
  const [labels, setLabels] = useState(true)
  const [path, setPath] = useState(`${formName}-${today()}.xlsx`)
  const [progress, setProgress] = useState<Progress | null>(null)
  const [result, setResult] = useState<RecordsExportResult | null>(null)
  const [busy, setBusy] = useState(false)
  useEffect(
    () =>
      getApi().on(
        'records.exportProgress',
        (p) => p.formId === formId && setProgress({ phase: p.phase, done: p.done, total: p.total }),
      ),
    [formId],
  )
  const chooseFormat = (next: 'csv' | 'xlsx') => {
    setFormat(next)
    setPath((p) => withExtension(p, next))
  }
  const submit = async (event: FormEvent) => {
    event.preventDefault()
    setBusy(true)
    setResult(null)
    setProgress(null)
    try {
      setResult(await call('records.export', { formId, format, outputPath: path.trim(), labels }))
    } catch (error) {
      useToastStore.getState().showError(error)
    } finally {
      setBusy(false)
    }
  }
  return (
    <form className="export-panel" aria-labelledby="export-title" onSubmit={(e) => void submit(e)}>
      <h2 id="export-title">{t('export.title')}</h2>
      <fieldset className="filter">
        <legend>{t('export.format')}</legend>
        <label>
          <input
            type="radio"
            name="format"
            checked={format === 'xlsx'}
            onChange={() => chooseFormat('xlsx')}
          />{' '}
          {t('export.xlsx')}
        </label>
        <label>
          <input
            type="radio"
            name="format"
            checked={format === 'csv'}
            onChange={() => chooseFormat('csv')}
          />{' '}
          {t('export.csv')}
        </label>
      </fieldset>
      <fieldset className="filter">
        <legend>{t('export.choices')}</legend>
        <label>
          <input type="radio" name="labels" checked={labels} onChange={() => setLabels(true)} />{' '}
          {t('export.labels')}
        </label>
        <label>
          <input type="radio" name="labels" checked={!labels} onChange={() => setLabels(false)} />{' '}
          {t('export.names')}
        </label>
      </fieldset>
      <PathField
        label={t('export.path')}
        value={path}
        onChange={setPath}
        placeholder={`${formName}.${format}`}
        hint={t('export.pathHint')}
        purpose={format === 'csv' ? 'export-csv' : 'export-xlsx'}
        suggestedName={path.split(/[/\\]/).pop() || undefined}
        testId="export-path"
      />
      <div className="actions">
        <button type="submit" className="primary" disabled={busy || path.trim() === ''}>
          {busy ? t('export.busy') : t('export.start')}
        </button>
        <button type="button" className="secondary" onClick={onClose}>
          {t('export.close')}
        </button>
      </div>
      <ExportStatus progress={busy ? progress : null} result={result} />
    </form>
  )
}

function ExportStatus({
  progress,
  result,
}: {
  progress: Progress | null
  result: RecordsExportResult | null
}) {
  const { t } = useTranslation()
  return (
    <div aria-live="polite" className="export-status">
      {progress && (
        <label className="export-progress">
          <span>
            {t(`export.phase_${progress.phase}`, { done: progress.done, total: progress.total })}
          </span>
          <progress max={Math.max(1, progress.total)} value={progress.done} />
        </label>
      )}
      {result && (
        <div className="report success" data-testid="export-summary">
          <p>{t('export.done', { count: result.records })}</p>
          <ul>
            {result.sheets.map((sheet) => (
              <li key={sheet.name}>{t('export.sheet', { name: sheet.name, count: sheet.rows })}</li>
            ))}
          </ul>
          <p>{t('export.files', { count: result.files.length })}</p>
          <ul className="export-files">
            {result.files.map((file) => (
              <li key={file} dir="ltr">
                {file}
              </li>
            ))}
          </ul>
        </div>
      )}
    </div>
  )
}
