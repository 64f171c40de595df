import { useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { can } from '../../../shared/api'
import type { RecordsStats } from '../../../shared/api/records'
import { BarChartFigure } from '../components/BarChartFigure'
import { useRole } from '../stores/use-auth-store'
import { useFormsStore } from '../stores/use-forms-store'
import { useNavStore } from '../stores/use-nav-store'
import { useStatsStore } from '../stores/use-records-stats-store'

/** Progress for a supervisor: how many records, when, by whom, in which state, against targets. */
export function DashboardScreen() {
  const { t, i18n } = useTranslation()
  const go = useNavStore((s) => s.go)
  const { stats, filter, load, setFilter } = useStatsStore()
  const forms = useFormsStore((s) => s.forms)
  const loadForms = useFormsStore((s) => s.load)
  useEffect(() => {
    void load()
    void loadForms()
  }, [load, loadForms])
  const day = new Intl.DateTimeFormat(i18n.language, { dateStyle: 'medium', timeZone: 'UTC' })
  return (
    <section className="dashboard" aria-labelledby="dashboard-title">
      <div className="home-head">
        <h1 id="dashboard-title">{t('dashboard.title')}</h1>
        <button type="button" className="secondary" onClick={() => go({ name: 'home' })}>
          {t('records.back')}
        </button>
      </div>
      <div className="records-filters">
        <label className="filter">
          <span>{t('dashboard.form')}</span>
          <select value={filter.formId} onChange={(e) => setFilter({ formId: e.target.value })}>
            <option value="">{t('dashboard.allForms')}</option>
            {forms.map((f) => (
              <option key={f.id} value={f.id}>
                {f.title}
              </option>
            ))}
          </select>
        </label>
        <label className="filter">
          <span>{t('recordsScreen.from')}</span>
          <input
            type="date"
            value={filter.from}
            onChange={(e) => setFilter({ from: e.target.value })}
          />
        </label>
        <label className="filter">
          <span>{t('recordsScreen.to')}</span>
          <input
            type="date"
            value={filter.to}
            onChange={(e) => setFilter({ to: e.target.value })}
          />
        </label>
      </div>
      {!stats && <p aria-live="polite">{t('dashboard.loading')}</p>}
      {stats && (
        <>
          <p className="dashboard-total" data-testid="dashboard-total">
            {t('dashboard.total', { count: stats.total })}
          </p>
          <Targets stats={stats} />
          <div className="chart-grid">
            <BarChartFigure
              title={t('dashboard.perDay')}
              testId="chart-per-day"
              labelHeader={t('dashboard.day')}
              valueHeader={t('dashboard.records')}
              data={stats.perDay.map((d) => ({
                key: d.day,
                label: day.format(new Date(`${d.day}T00:00:00Z`)),
                value: d.count,
              }))}
            />
            <BarChartFigure
              title={t('dashboard.perStatus')}
              labelHeader={t('recordsScreen.status')}
              valueHeader={t('dashboard.records')}
              data={stats.perStatus.map((s) => ({
                key: s.status,
                label: t(`records.status_${s.status}`),
                value: s.count,
              }))}
            />
            <BarChartFigure
              title={t('dashboard.perCollector')}
              labelHeader={t('dashboard.collector')}
              valueHeader={t('dashboard.records')}
              data={stats.perCollector.map((c) => ({
                key: c.userId,
                label: c.userId,
                value: c.count,
              }))}
            />
            <BarChartFigure
              title={t('dashboard.perForm')}
              labelHeader={t('dashboard.form')}
              valueHeader={t('dashboard.records')}
              data={stats.perForm.map((f) => ({ key: f.formId, label: f.title, value: f.count }))}
            />
          </div>
        </>
      )}
    </section>
  )
}

/** Completion per form against the supervisor's target, which is set right here. */
function Targets({ stats }: { stats: RecordsStats }) {
  const { t } = useTranslation()
  return (
    <section className="targets" aria-labelledby="targets-title">
      <h2 id="targets-title">{t('dashboard.targets')}</h2>
      <table className="targets-table">
        <thead>
          <tr>
            <th scope="col">{t('dashboard.form')}</th>
            <th scope="col">{t('dashboard.done')}</th>
            <th scope="col">{t('dashboard.completion')}</th>
            <th scope="col">{t('dashboard.target')}</th>
          </tr>
        </thead>
        <tbody>
          {stats.perForm.map((form) => (
            <TargetRow key={form.formId} form={form} />
          ))}
        </tbody>
      </table>
    </section>
  )
}

function TargetRow({ form }: { form: RecordsStats['perForm'][number] }) {
  const { t, i18n } = useTranslation()
  const setTarget = useStatsStore((s) => s.setTarget)
  const maySetTarget = can(useRole(), 'records.review') // only supervisors set targets (the core refuses others)
  const [text, setText] = useState(form.target === null ? '' : String(form.target))
  const number = (n: number) => n.toLocaleString(i18n.language)
  const share = form.target ? Math.min(1, form.done / form.target) : null
  const parsed = text.trim() === '' ? null : Number(text)
  const valid = parsed === null || (Number.isInteger(parsed) && parsed >= 0)
  return (
    <tr data-form={form.title}>
      <th scope="row">{form.title}</th>
      <td>{t('dashboard.doneOf', { done: number(form.done), count: form.count })}</td>
      <td>
        {share === null ? (
          <span className="muted">{t('dashboard.noTarget')}</span>
        ) : (
          <span className="completion">
            <progress
              max={1}
              value={share}
              aria-label={t('dashboard.completionOf', { title: form.title })}
            />
            {t('dashboard.percent', {
              percent: Math.round(share * 100),
              done: number(form.done),
              target: number(form.target ?? 0),
            })}
          </span>
        )}
      </td>
      <td>
        <form
          className="target-form"
          hidden={!maySetTarget}
          onSubmit={(e) => {
            e.preventDefault()
            if (valid) void setTarget(form.formId, parsed)
          }}
        >
          <input
            type="number"
            min={0}
            step={1}
            value={text}
            aria-label={t('dashboard.targetFor', { title: form.title })}
            aria-invalid={!valid}
            onChange={(e) => setText(e.target.value)}
          />
          <button type="submit" className="secondary small" disabled={!valid}>
            {t('dashboard.setTarget')}
          </button>
        </form>
      </td>
    </tr>
  )
}
