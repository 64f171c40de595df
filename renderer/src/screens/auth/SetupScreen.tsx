import { useState, type FormEvent } from 'react'
import { useTranslation } from 'react-i18next'
import type { AppError } from '../../../../shared/errors'
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

const usernamePattern = /^[a-z0-9._-]{2,64}$/

/** First run: the office and its first supervisor, whose password will encrypt the data. */
export function SetupScreen() {
  const { t } = useTranslation()
  const setup = useAuthStore((s) => s.setup)
  const { form, setProblems, field } = useFields({
    officeName: '',
    displayName: '',
    username: '',
    password: '',
    confirm: '',
  })
  const [error, setError] = useState<AppError | null>(null)
  const [busy, setBusy] = useState(false)

  const check = (): FieldProblems => {
    const found: FieldProblems = {}
    if (!form.officeName.trim()) found.officeName = t('auth.required')
    if (!form.displayName.trim()) found.displayName = t('auth.required')
    if (!usernamePattern.test(form.username.trim().toLowerCase()))
      found.username = t('auth.usernameRule')
    if (form.password.length < minPasswordLength)
      found.password = t('auth.passwordTooShort', { min: minPasswordLength })
    else if (form.password !== form.confirm) found.confirm = t('auth.passwordsDiffer')
    return found
  }

  const submit = async (event: FormEvent) => {
    event.preventDefault()
    const found = check()
    setProblems(found)
    setError(null)
    if (Object.keys(found).length > 0) return
    setBusy(true)
    const refused = await setup({
      officeName: form.officeName,
      displayName: form.displayName,
      username: form.username,
      password: form.password,
    })
    setBusy(false)
    setError(refused)
    setProblems(problemsOf(refused))
  }

  return (
    <AuthLayout title={t('auth.setupTitle')} wide>
      <p>{t('auth.setupIntro')}</p>
      <div className="auth-explain">
        <h2>{t('auth.encryptionTitle')}</h2>
        <p>{t('auth.encryptionBody')}</p>
        <h2>{t('auth.recoveryTitle')}</h2>
        <p>{t('auth.recoveryBody')}</p>
      </div>
      <form className="auth-form" onSubmit={(event) => void submit(event)} noValidate>
        <Field
          label={t('auth.officeName')}
          autoComplete="organization"
          autoFocus
          {...field('officeName')}
        />
        <fieldset className="auth-fieldset">
          <legend>{t('auth.firstSupervisor')}</legend>
          <Field label={t('auth.displayName')} autoComplete="name" {...field('displayName')} />
          <Field
            label={t('auth.username')}
            autoComplete="username"
            hint={t('auth.usernameRule')}
            {...field('username')}
          />
          <NewPasswordFields
            label={t('auth.password')}
            password={field('password')}
            confirm={field('confirm')}
          />
        </fieldset>
        <FormError error={error} />
        <button type="submit" className="primary" disabled={busy}>
          {busy ? t('auth.settingUp') : t('auth.setupButton')}
        </button>
      </form>
    </AuthLayout>
  )
}
