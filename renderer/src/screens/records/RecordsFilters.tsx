import { useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { recordStatuses, type RecordStatusName } from '../../../../shared/api/records'
import { useRecordsStore } from '../../stores/use-records-store'
import type { FormModel } from './form-model'

const typeAheadMs = 250

/** Search as you type: the list follows a quarter second after the last keystroke. */
function SearchBox() {
  const { t } = useTranslation()
  const search = useRecordsStore((s) => s.query.search)
  const setQuery = useRecordsStore((s) => s.setQuery)
  const [text, setText] = useState(search)
  useEffect(() => {
    if (text.trim() === search.trim()) return
    const timer = setTimeout(() => setQuery({ search: text.trim() }), typeAheadMs)
    return () => clearTimeout(timer)
  }, [text, search, setQuery])
  return (
    <label className="filter search-filter">
      <span>{t('recordsScreen.search')}</span>
      <input
        type="search"
        value={text}
        placeholder={t('recordsScreen.searchPlaceholder')}
        onChange={(e) => setText(e.target.value)}
      />
    </label>
  )
}

function StatusFilter() {
  const { t } = useTranslation()
  const query = useRecordsStore((s) => s.query)
  const setQuery = useRecordsStore((s) => s.setQuery)
  const value = query.deleted ? 'deleted' : (query.status[0] ?? '')
  const onChange = (next: string) => {
    if (next === 'deleted') setQuery({ deleted: true, status: [] })
    else setQuery({ deleted: false, status: next ? [next as RecordStatusName] : [] })
  }
  return (
    <label className="filter">
      <span>{t('recordsScreen.statusFilter')}</span>
      <select value={value} onChange={(e) => onChange(e.target.value)}>
        <option value="">{t('recordsScreen.allStatuses')}</option>
        {recordStatuses.map((status) => (
          <option key={status} value={status}>
            {t(`records.status_${status}`)}
          </option>
        ))}
        <option value="deleted">{t('recordsScreen.deletedFilter')}</option>
      </select>
    </label>
  )
}

function DateFilter() {
  const { t } = useTranslation()
  const query = useRecordsStore((s) => s.query)
  const setQuery = useRecordsStore((s) => s.setQuery)
  return (
    <fieldset className="filter date-filter">
      <legend>{t('recordsScreen.dates')}</legend>
      <select
        aria-label={t('recordsScreen.dateField')}
        value={query.dateField}
        onChange={(e) =>
          setQuery({ dateField: e.target.value === 'updated' ? 'updated' : 'created' })
        }
      >
        <option value="created">{t('recordsScreen.created')}</option>
        <option value="updated">{t('recordsScreen.updated')}</option>
      </select>
      <input
        type="date"
        aria-label={t('recordsScreen.from')}
        value={query.from}
        onChange={(e) => setQuery({ from: e.target.value })}
      />
      <input
        type="date"
        aria-label={t('recordsScreen.to')}
        value={query.to}
        onChange={(e) => setQuery({ to: e.target.value })}
      />
    </fieldset>
  )
}

/** "Any question equals": choices as a list, other answers typed (numbers compare as numbers). */
function QuestionFilter({ model }: { model: FormModel }) {
  const { t } = useTranslation()
  const question = useRecordsStore((s) => s.query.question)
  const setQuery = useRecordsStore((s) => s.setQuery)
  const [path, setPath] = useState(question?.path ?? '')
  const column = model.column(path)
  const apply = (value: string) => {
    if (!column || value === '') return setQuery({ question: null })
    const numeric = column.kind === 'scalar' && value.trim() !== '' && !Number.isNaN(Number(value))
    setQuery({ question: { path: column.path, value: numeric ? Number(value) : value } })
  }
  const current = question && question.path === path ? String(question.value) : ''
  return (
    <fieldset className="filter question-filter">
      <legend>{t('recordsScreen.questionFilter')}</legend>
      <select
        aria-label={t('recordsScreen.question')}
        value={path}
        onChange={(e) => (setPath(e.target.value), setQuery({ question: null }))}
      >
        <option value="">{t('recordsScreen.anyQuestion')}</option>
        {model.columns
          .filter((c) => c.kind === 'scalar' || c.kind === 'select')
          .map((c) => (
            <option key={c.path} value={c.path}>
              {c.label}
            </option>
          ))}
      </select>
      {column?.kind === 'select' && (
        <select
          aria-label={t('recordsScreen.answer')}
          value={current}
          onChange={(e) => apply(e.target.value)}
        >
          <option value="">{t('recordsScreen.anyAnswer')}</option>
          {[...column.choices].map(([name, label]) => (
            <option key={name} value={name}>
              {label}
            </option>
          ))}
        </select>
      )}
      {column?.kind === 'scalar' && <AnswerInput initial={current} onApply={apply} />}
    </fieldset>
  )
}

function AnswerInput({ initial, onApply }: { initial: string; onApply: (value: string) => void }) {
  const { t } = useTranslation()
  const [text, setText] = useState(initial)
  return (
    <input
      aria-label={t('recordsScreen.answer')}
      value={text}
      onChange={(e) => setText(e.target.value)}
      onBlur={() => onApply(text.trim())}
      onKeyDown={(e) => e.key === 'Enter' && onApply(text.trim())}
    />
  )
}

export function RecordsFilters({ model }: { model: FormModel }) {
  return (
    <div className="records-filters" role="search">
      <SearchBox />
      {/* The core applies these to the search's matches too (records.search `filter`). */}
      <fieldset className="filter-group">
        <StatusFilter />
        <DateFilter />
        <QuestionFilter model={model} />
      </fieldset>
    </div>
  )
}
