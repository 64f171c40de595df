import { useEffect, useState, type FormEvent } from 'react'
import { useTranslation } from 'react-i18next'
import type { PackageExportScope } from '../../../../shared/api/packages'
import type { AppError } from '../../../../shared/errors'
import { PathField } from '../../components/PathField'
import { useNavStore } from '../../stores/use-nav-store'
import { useSyncStore } from '../../stores/use-sync-store'
import { usePackagesStore } from './use-packages-store'

/** 12.3 kB, 4.5 MB, 1.2 GB in the interface language. */
function formatBytes(bytes: number, language: string): string {
  const [unit, scale] =
    bytes >= 1e9 ? (['gigabyte', 1e9] as const) : bytes >= 1e6 ? (['megabyte', 1e6] as const) : (['kilobyte', 1e3] as const)
  return new Intl.NumberFormat(language, { style: 'unit', unit, maximumFractionDigits: 1 }).format(bytes / scale)
}

/** USB packages: write this laptop's changes for HQ, and check then apply what HQ sends back. */
export function PackagesScreen() {
  const { t } = useTranslation()
  const go = useNavStore((s) => s.go)
  const follow = usePackagesStore((s) => s.follow)
  const followSync = useSyncStore((s) => s.follow)
  useEffect(() => follow(), [follow])
  useEffect(() => followSync(), [followSync])
  return (
    <section className="screen packages-screen" data-testid="packages-screen" aria-labelledby="packages-title">
      <div className="home-head">
        <h1 id="packages-title">{t('packages.title')}</h1>
        <button type="button" className="secondary" onClick={() => go({ name: 'home' })}>
          {t('packages.back')}
        </button>
      </div>
      <p className="packages-intro">{t('packages.intro')}</p>
      <div className="packages-columns">
        <ExportPanel />
        <ImportPanel />
      </div>
    </section>
  )
}

function Progress() {
  const { t } = useTranslation()
  const progress = usePackagesStore((s) => s.progress)
  if (!progress) return null
  return (
    <div className="packages-progress" data-testid="packages-progress">
      <span>{t(`packages.phase.${progress.phase}`)}</span>
      {progress.total ? <progress value={progress.done} max={progress.total} /> : <progress />}
    </div>
  )
}

function Refusal({ error, testId }: { error: AppError; testId: string }) {
  const { t } = useTranslation()
  const reason = (error.details as { reason?: string } | undefined)?.reason
  const harmless = reason === 'already_applied'
  return (
    <div className={`report ${harmless ? 'notice' : 'failure'}`} role="alert" data-testid={testId} data-reason={reason ?? error.code}>
      <strong>{harmless ? t('packages.refused.harmless') : t('packages.refused.title')}</strong>
      <p>{error.message}</p>
    </div>
  )
}

function ExportPanel() {
  const { t, i18n } = useTranslation()
  const { busy, exported, exportError, exportTo } = usePackagesStore()
  const waiting = useSyncStore((s) => s.status?.waiting ?? null)
  const [path, setPath] = useState('')
  const [scope, setScope] = useState<PackageExportScope['kind']>('unacknowledged')
  const submit = (event: FormEvent) => {
    event.preventDefault()
    void exportTo(path.trim(), scope === 'sinceLastPackage' ? { kind: 'sinceLastPackage' } : { kind: 'unacknowledged' })
  }
  return (
    <form className="packages-panel" onSubmit={submit} aria-labelledby="packages-export-title">
      <h2 id="packages-export-title">{t('packages.export.title')}</h2>
      <p>{waiting === null ? t('packages.export.intro') : t('packages.export.waiting', { count: waiting })}</p>
      <label>
        <span>{t('packages.export.what')}</span>
        <select value={scope} onChange={(e) => setScope(e.target.value as PackageExportScope['kind'])} data-testid="packages-scope">
          <option value="unacknowledged">{t('packages.export.unacknowledged')}</option>
          <option value="sinceLastPackage">{t('packages.export.sinceLast')}</option>
        </select>
      </label>
      <PathField
        label={t('packages.export.path')}
        value={path}
        onChange={setPath}
        placeholder={t('packages.export.pathExample')}
        hint={t('packages.export.pathHint')}
        purpose="package-export"
        testId="packages-export-path"
      />
      <button type="submit" className="primary" disabled={busy !== null}>
        {busy === 'export' ? t('packages.export.busy') : t('packages.export.submit')}
      </button>
      {busy === 'export' && <Progress />}
      {exportError && <Refusal error={exportError} testId="packages-export-error" />}
      {exported && (
        <div className="report success" role="status" data-testid="packages-export-summary">
          <strong>{t('packages.export.done')}</strong>
          <dl className="packages-facts">
            <dt>{t('packages.facts.records')}</dt>
            <dd data-testid="packages-export-records">{exported.records}</dd>
            <dt>{t('packages.facts.changes')}</dt>
            <dd>{exported.ops}</dd>
            <dt>{t('packages.facts.files')}</dt>
            <dd>{t('packages.facts.filesValue', { count: exported.attachments, size: formatBytes(exported.attachmentBytes, i18n.language) })}</dd>
            <dt>{t('packages.facts.size')}</dt>
            <dd>{formatBytes(exported.bytes, i18n.language)}</dd>
            <dt>{t('packages.facts.file')}</dt>
            <dd dir="ltr">{exported.path}</dd>
          </dl>
          <p>{t('packages.export.next')}</p>
        </div>
      )}
    </form>
  )
}

function ImportPanel() {
  const { t, i18n } = useTranslation()
  const go = useNavStore((s) => s.go)
  const { busy, preview, imported, importError, inspect, apply } = usePackagesStore()
  const [path, setPath] = useState('')
  const submit = (event: FormEvent) => {
    event.preventDefault()
    void inspect(path.trim())
  }
  return (
    <form className="packages-panel" onSubmit={submit} aria-labelledby="packages-import-title">
      <h2 id="packages-import-title">{t('packages.import.title')}</h2>
      <p>{t('packages.import.intro')}</p>
      <PathField
        label={t('packages.import.path')}
        value={path}
        onChange={setPath}
        placeholder={t('packages.import.pathExample')}
        hint={t('packages.export.pathHint')}
        purpose="package-import"
        testId="packages-import-path"
      />
      <button type="submit" className="secondary" disabled={busy !== null}>
        {busy === 'inspect' ? t('packages.import.checking') : t('packages.import.check')}
      </button>
      {(busy === 'inspect' || busy === 'import') && <Progress />}
      {importError && <Refusal error={importError} testId="packages-import-error" />}
      {preview && (
        <div className="report notice" data-testid="packages-preview">
          <strong>{t('packages.import.intact')}</strong>
          <dl className="packages-facts">
            <dt>{t('packages.facts.from')}</dt>
            <dd>{preview.source.kind === 'registry' ? t('packages.facts.hq') : preview.source.id}</dd>
            <dt>{t('packages.facts.made')}</dt>
            <dd>{new Date(preview.createdAt).toLocaleString(i18n.language)}</dd>
            <dt>{t('packages.facts.changes')}</dt>
            <dd>{preview.changes}</dd>
            <dt>{t('packages.facts.forms')}</dt>
            <dd>{preview.forms}</dd>
            <dt>{t('packages.facts.size')}</dt>
            <dd>{formatBytes(preview.bytes, i18n.language)}</dd>
          </dl>
          {preview.alreadyApplied ? (
            <p data-testid="packages-already">{t('packages.import.already')}</p>
          ) : (
            <button type="button" className="primary" disabled={busy !== null} onClick={() => void apply()} data-testid="packages-apply">
              {busy === 'import' ? t('packages.import.applying') : t('packages.import.apply')}
            </button>
          )}
        </div>
      )}
      {imported && (
        <div className="report success" role="status" data-testid="packages-import-summary">
          <strong>{t('packages.import.done')}</strong>
          <dl className="packages-facts">
            <dt>{t('packages.facts.newChanges')}</dt>
            <dd>{imported.newOps}</dd>
            <dt>{t('packages.facts.forms')}</dt>
            <dd>{imported.forms}</dd>
            <dt>{t('packages.facts.delivered')}</dt>
            <dd data-testid="packages-delivered">{t('packages.import.delivered', { count: imported.acknowledged })}</dd>
          </dl>
          {imported.refused > 0 && (
            <p className="packages-refused" data-testid="packages-refused">
              {t('packages.import.refused', { count: imported.refused })}{' '}
              <button type="button" className="link" onClick={() => go({ name: 'sync' })}>
                {t('packages.import.seeRefused')}
              </button>
            </p>
          )}
        </div>
      )}
    </form>
  )
}
