import { useId, useState, type ReactNode } from 'react'
import { useTranslation } from 'react-i18next'
import { uiLanguages, type UiLanguage } from '../../../../shared/api'
import type { AppError } from '../../../../shared/errors'
import { languageNames, switchLanguage } from '../../i18n'
import { passwordStrength } from './password-strength'

/** Field-by-field problems: the form's own checks, or the core's validation issues by path. */
export type FieldProblems = Record<string, string>

export function problemsOf(error: AppError | null): FieldProblems {
  const issues = (
    error?.details as { issues?: { path?: unknown; message?: unknown }[] } | undefined
  )?.issues
  const problems: FieldProblems = {}
  if (error?.code !== 'validation' || !Array.isArray(issues)) return problems
  for (const issue of issues) {
    if (typeof issue.path === 'string' && typeof issue.message === 'string')
      problems[issue.path] ??= issue.message
  }
  return problems
}

/**
 * A form's values and problems; `field(name)` gives a Field its value, its change handler and its
 * problem, which goes away as soon as the person edits that field.
 */
export function useFields<T extends Record<string, string>>(initial: T) {
  const [form, setForm] = useState(initial)
  const [problems, setProblems] = useState<FieldProblems>({})
  const field = (name: keyof T & string) => ({
    name,
    value: form[name] ?? '',
    onChange: (value: string) => {
      setForm((f) => ({ ...f, [name]: value }))
      setProblems(({ [name]: _edited, ...rest }) => rest)
    },
    problem: problems[name],
  })
  return { form, setForm, problems, setProblems, field }
}

type FieldProps = {
  name: string
  label: string
  value: string
  onChange: (value: string) => void
  problem?: string | undefined
  hint?: ReactNode
  type?: 'text' | 'password'
  autoComplete?: string
  autoFocus?: boolean
  readOnly?: boolean
}

/** A labelled input with its hint and its problem tied to it for screen readers. */
export function Field({
  name,
  label,
  value,
  onChange,
  problem,
  hint,
  type = 'text',
  autoComplete,
  autoFocus,
  readOnly,
}: FieldProps) {
  const id = useId()
  const described = [hint ? `${id}-hint` : '', problem ? `${id}-problem` : '']
    .filter(Boolean)
    .join(' ')
  return (
    <div className={problem ? 'auth-field has-problem' : 'auth-field'}>
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        name={name}
        type={type}
        value={value}
        onChange={(event) => onChange(event.target.value)}
        autoComplete={autoComplete}
        autoFocus={autoFocus}
        readOnly={readOnly}
        spellCheck={false}
        aria-invalid={problem ? true : undefined}
        aria-describedby={described || undefined}
      />
      {hint && (
        <small id={`${id}-hint`} className="auth-hint">
          {hint}
        </small>
      )}
      {problem && (
        <p id={`${id}-problem`} className="auth-problem">
          {problem}
        </p>
      )}
    </div>
  )
}

type FieldBinding = Pick<FieldProps, 'name' | 'value' | 'onChange' | 'problem'>

/** A new password with its strength, then the same typed again (setup, recovery, change password). */
export function NewPasswordFields({
  label,
  password,
  confirm,
}: {
  label: string
  password: FieldBinding
  confirm: FieldBinding
}) {
  const { t } = useTranslation()
  return (
    <>
      <Field
        label={label}
        type="password"
        autoComplete="new-password"
        hint={<StrengthHint password={password.value} />}
        {...password}
      />
      <Field
        label={t('auth.confirmPassword')}
        type="password"
        autoComplete="new-password"
        {...confirm}
      />
    </>
  )
}

/** How strong the new password looks; polite, so it is read after typing pauses. */
export function StrengthHint({ password }: { password: string }) {
  const { t } = useTranslation()
  const strength = passwordStrength(password)
  return (
    <span className="strength" data-strength={strength} aria-live="polite">
      {t(`auth.strength_${strength}`)}
    </span>
  )
}

/** The error the core returned for the whole form (wrong password, not allowed, …). */
export function FormError({ error, children }: { error: AppError | null; children?: ReactNode }) {
  if (!error && !children) return null
  return (
    <div className="auth-error" role="alert" data-code={error?.code}>
      {error?.message}
      {children}
    </div>
  )
}

/**
 * The frame of the screens shown before sign-in. The language is switched for this screen only:
 * the saved setting belongs to the signed-in people and changes from inside the app.
 */
export function AuthLayout({
  title,
  children,
  wide,
}: {
  title: string
  children: ReactNode
  wide?: boolean
}) {
  const { t, i18n } = useTranslation()
  return (
    <div className="auth-page">
      <header className="app-header">
        <div className="brand">
          <span className="brand-name">{t('app.name')}</span>
          <span className="brand-tagline">{t('app.tagline')}</span>
        </div>
        <label className="language-switcher">
          <span>{t('app.language')}</span>
          <select
            value={i18n.language}
            onChange={(event) => void switchLanguage(event.target.value as UiLanguage)}
          >
            {uiLanguages.map((code) => (
              <option key={code} value={code} lang={code}>
                {languageNames[code]}
              </option>
            ))}
          </select>
        </label>
      </header>
      <main className={wide ? 'auth-main wide' : 'auth-main'}>
        <section className="auth-card" aria-labelledby="auth-title">
          <h1 id="auth-title">{title}</h1>
          {children}
        </section>
      </main>
    </div>
  )
}
