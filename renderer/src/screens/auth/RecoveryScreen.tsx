import { useEffect, useState, type FormEvent } from 'react'
import { useTranslation } from 'react-i18next'
import type { CallOutput } from '../../../../shared/api'
import { toAppError, type AppError } from '../../../../shared/errors'
import { call } from '../../api/outpost'
import { useAuthStore } from '../../stores/use-auth-store'
import {
  AuthLayout,
  Field,
  FormError,
  problemsOf,
  NewPasswordFields,
  useFields,
  type FieldProblems,
} from './fields'
import { minPasswordLength } from './password-strength'

type RecoveryInfo = CallOutput<'auth.recoveryInfo'>

/** A value to read out or send to HQ: selectable text and a Copy button (the clipboard may be refused). */
function CopyableValue({ label, value, testId }: { label: string; value: string; testId: string }) {
  const { t } = useTranslation()
  const [copied, setCopied] = useState(false)
  const copy = () => {
    navigator.clipboard.writeText(value).then(
      () => setCopied(true),
      () => setCopied(false), // no clipboard permission: the text stays selectable in the box
    )
  }
  return (
    <div className="auth-copy">
      <label>
        <span>{label}</span>
        <textarea
          readOnly
          value={value}
          rows={value.length > 80 ? 4 : 1}
          className={value.length > 80 ? 'long' : undefined}
          data-testid={testId}
          onFocus={(e) => e.target.select()}
        />
      </label>
      <button type="button" className="secondary small" onClick={copy}>
        {copied ? t('auth.copied') : t('auth.copy')}
      </button>
    </div>
  )
}

/** Every password lost: HQ turns the sealed key into a recovery key that sets a new password. */
export function RecoveryScreen({ onBack }: { onBack: () => void }) {
  const { t } = useTranslation()
  const recover = useAuthStore((s) => s.recover)
  const [info, setInfo] = useState<RecoveryInfo | null>(null)
  const [infoError, setInfoError] = useState<AppError | null>(null)
  const { form, setProblems, field } = useFields({
    username: '',
    recoveryKey: '',
    newPassword: '',
    confirm: '',
  })
  const [error, setError] = useState<AppError | null>(null)
  const [busy, setBusy] = useState(false)
  useEffect(() => {
    call('auth.recoveryInfo', {}).then(setInfo, (thrown: unknown) =>
      setInfoError(toAppError(thrown)),
    )
  }, [])

  const submit = async (event: FormEvent) => {
    event.preventDefault()
    const found: FieldProblems = {}
    if (!form.username.trim()) found.username = t('auth.required')
    if (form.recoveryKey.trim().length < 10) found.recoveryKey = t('auth.recoveryKeyRule')
    if (form.newPassword.length < minPasswordLength)
      found.newPassword = t('auth.passwordTooShort', { min: minPasswordLength })
    else if (form.newPassword !== form.confirm) found.confirm = t('auth.passwordsDiffer')
    setProblems(found)
    setError(null)
    if (Object.keys(found).length > 0) return
    setBusy(true)
    const refused = await recover({
      username: form.username,
      recoveryKey: form.recoveryKey,
      newPassword: form.newPassword,
    })
    setBusy(false)
    setError(refused)
    setProblems(problemsOf(refused))
  }

  const back = (
    <button type="button" className="secondary" onClick={onBack}>
      {t('auth.backToLogin')}
    </button>
  )

  return (
    <AuthLayout title={t('auth.recoverTitle')} wide>
      <ol className="auth-steps">
        <li>{t('auth.recoverStep1')}</li>
        <li>{t('auth.recoverStep2')}</li>
        <li>{t('auth.recoverStep3')}</li>
      </ol>
      <FormError error={infoError} />
      {info && (
        <div className="auth-recovery-info">
          <CopyableValue
            label={t('auth.deviceId')}
            value={info.deviceId}
            testId="recovery-device"
          />
          {info.sealedKey ? (
            <CopyableValue
              label={t('auth.sealedKey')}
              value={info.sealedKey}
              testId="recovery-sealed"
            />
          ) : (
            <p className="auth-error" role="status">
              {t('auth.noRecovery')}
            </p>
          )}
        </div>
      )}
      {/* Without a sealed key (laptop never enrolled) HQ cannot help: no form that cannot work. */}
      {info?.sealedKey ? (
        <form className="auth-form" onSubmit={(event) => void submit(event)} noValidate>
          <Field label={t('auth.username')} autoComplete="username" {...field('username')} />
          <Field label={t('auth.recoveryKey')} autoComplete="off" {...field('recoveryKey')} />
          <NewPasswordFields
            label={t('auth.newPassword')}
            password={field('newPassword')}
            confirm={field('confirm')}
          />
          <FormError error={error} />
          <div className="auth-actions">
            <button type="submit" className="primary" disabled={busy}>
              {busy ? t('auth.checking') : t('auth.recoverButton')}
            </button>
            {back}
          </div>
        </form>
      ) : (
        <div className="auth-actions">{back}</div>
      )}
    </AuthLayout>
  )
}
