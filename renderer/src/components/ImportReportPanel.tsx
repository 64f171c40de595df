import { useTranslation } from 'react-i18next'
import type { FormDiagnostic } from '../../../shared/api'
import type { ImportReport } from '../stores/use-forms-store'

function where(d: FormDiagnostic, row: (n: number) => string): string {
  return [d.sheet, d.row !== undefined ? row(d.row) : undefined, d.column].filter(Boolean).join(' · ')
}

function DiagnosticList({ items, label }: { items: FormDiagnostic[]; label: string }) {
  const { t } = useTranslation()
  if (items.length === 0) return null
  return (
    <table className="diagnostics" aria-label={label}>
      <thead>
        <tr>
          <th scope="col">{t('import.where')}</th>
          <th scope="col">{t('import.problem')}</th>
        </tr>
      </thead>
      <tbody>
        {items.map((d, index) => (
          <tr key={index} className={d.severity}>
            <td>{where(d, (n) => t('import.row', { row: n })) || '—'}</td>
            <td>{d.message}</td>
          </tr>
        ))}
      </tbody>
    </table>
  )
}

/** The outcome of an import, in place: every problem with its sheet, row and column. */
export function ImportReportPanel({ report, onClose }: { report: ImportReport; onClose: () => void }) {
  const { t } = useTranslation()
  if (report.kind === 'imported') {
    const { result } = report
    return (
      <div className="report success" role="status" data-testid="import-report">
        <p>{t(`import.${result.outcome}`, { title: result.form.title, version: result.version })}</p>
        {result.media.length > 0 && <p data-testid="import-media">{t('import.mediaKept', { files: result.media.join(', ') })}</p>}
        <DiagnosticList items={result.warnings} label={t('import.warnings')} />
        <button type="button" onClick={onClose}>{t('toast.dismiss')}</button>
      </div>
    )
  }
  const errors = report.diagnostics.filter((d) => d.severity === 'error')
  return (
    <div className="report failure" role="alert" data-testid="import-report">
      <p>
        <strong>{t('import.refused', { file: report.fileName })}</strong>{' '}
        {errors.length > 0 ? t('import.fixThese', { count: errors.length }) : report.error.message}
      </p>
      <DiagnosticList items={report.diagnostics} label={t('import.problems')} />
      <button type="button" onClick={onClose}>{t('toast.dismiss')}</button>
    </div>
  )
}
