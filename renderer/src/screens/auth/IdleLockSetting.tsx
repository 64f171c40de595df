import { useState, type FormEvent } from 'react'
import { useTranslation } from 'react-i18next'
import type { AppError } from '../../../../shared/errors'
import { useAuthStore } from '../../stores/use-auth-store'
import { FormError } from './fields'

/** The supervisor's choice of how long the laptop stays open without anyone at it. */
export function IdleLockSetting() {
  const { t } = useTranslation()
  const current = useAuthStore((s) => s.status?.idleLockMinutes ?? 15)
  const configure = useAuthStore((s) => s.configure)
  const [value, setValue] = useState(String(current))
  const [error, setError] = useState<AppError | null>(null)
  const [saved, setSaved] = useState(false)
  const submit = async (event: FormEvent) => {
    event.preventDefault()
    const minutes = Number(value)
    if (!Number.isInteger(minutes) || minutes < 1 || minutes > 1440) {
      setError({ code: 'validation', message: t('users.idleRule') })
      return
    }
    const refused = await configure(minutes)
    setError(refused)
    setSaved(refused === null)
  }
  return (
    <form
      className="users-idle"
      aria-label={t('users.idleTitle')}
      onSubmit={(event) => void submit(event)}
      noValidate
    >
      <label htmlFor="idle-minutes">{t('users.idleLabel')}</label>
      <input
        id="idle-minutes"
        type="number"
        inputMode="numeric"
        min={1}
        max={1440}
        value={value}
        onChange={(event) => {
          setValue(event.target.value)
          setSaved(false)
        }}
      />
      <span>{t('users.idleMinutes')}</span>
      <button type="submit" className="secondary small">
        {t('users.save')}
      </button>
      {saved && (
        <span role="status" className="muted">
          {t('users.idleSaved', { count: current })}
        </span>
      )}
      <FormError error={error} />
    </form>
  )
}
