import { useEffect } from 'react'
import { useTranslation } from 'react-i18next'
import type { FormSummary } from '../../../shared/api'
import { useFormsStore } from '../stores/use-forms-store'

export function HomeScreen() {
  const { t } = useTranslation()
  const { forms, status, load } = useFormsStore()
  useEffect(() => {
    void load()
  }, [load])

  return (
    <section aria-labelledby="home-title" className="home">
      <h1 id="home-title">{t('home.title')}</h1>
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
  return (
    <li className="form-row">
      <span className="form-title">{form.title}</span>
      <span className="form-meta">
        {t('home.latest', { version: form.latestVersion })} · {t('home.versions', { count: form.versionCount })} ·{' '}
        {t('home.records', { count: form.recordCount })}
      </span>
    </li>
  )
}
