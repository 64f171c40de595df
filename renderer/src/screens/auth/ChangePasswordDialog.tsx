import { useEffect, useRef, useState, type FormEvent } from 'react'
import { useTranslation } from 'react-i18next'
import type { AppError } from '../../../../shared/errors'
import { useAuthStore } from '../../stores/use-auth-store'
import {
  Field,
  FormError,
  NewPasswordFields,
  problemsOf,
  useFields,
  type FieldProblems,
} from './fields'
import { minPasswordLength } from './password-strength'

/** A modal dialog (focus kept inside, Escape closes) to change one's own password. */
export function ChangePasswordDialog({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation()
  const changePassword = useAuthStore((s) => s.changePassword)
  const dialog = useRef<HTMLDialogElement>(null)
  const { form, setProblems, field } = useFields({
    currentPassword: '',
    newPassword: '',
    confirm: '',
  })
  const [error, setError] = useState<AppError | null>(null)
  const [busy, setBusy] = useState(false)
  const [done, setDone] = useState(false)
  useEffect(() => {
    const element = dialog.current
    element?.showModal()
    return () => element?.close()
  }, [])

  const submit = async (event: FormEvent) => {
    event.preventDefault()
    const found: FieldProblems = {}
    if (!form.currentPassword) found.currentPassword = t('auth.required')
    if (form.newPassword.length < minPasswordLength)
      found.newPassword = t('auth.passwordTooShort', { min: minPasswordLength })
    else if (form.newPassword !== form.confirm) found.confirm = t('auth.passwordsDiffer')
    setProblems(found)
    setError(null)
    if (Object.keys(found).length > 0) return
    setBusy(true)
    const refused = await changePassword(form.currentPassword, form.newPassword)
    setBusy(false)
    setError(refused)
    setProblems(problemsOf(refused))
    setDone(refused === null)
  }

  return (
    <dialog
      ref={dialog}
      className="auth-dialog"
      aria-labelledby="change-password-title"
      onClose={onClose}
    >
      <h2 id="change-password-title">{t('auth.changePasswordTitle')}</h2>
      {done ? (
        <>
          <p role="status">{t('auth.passwordChanged')}</p>
          <div className="auth-actions">
            <button type="button" className="primary" onClick={onClose} autoFocus>
              {t('auth.close')}
            </button>
          </div>
        </>
      ) : (
        <form className="auth-form" onSubmit={(event) => void submit(event)} noValidate>
          <p className="auth-hint">{t('auth.changePasswordIntro')}</p>
          <Field
            label={t('auth.currentPassword')}
            type="password"
            autoComplete="current-password"
            autoFocus
            {...field('currentPassword')}
          />
          <NewPasswordFields
            label={t('auth.newPassword')}
            password={field('newPassword')}
            confirm={field('confirm')}
          />
          <FormError error={error} />
          <div className="auth-actions">
            <button type="submit" className="primary" disabled={busy}>
              {busy ? t('auth.checking') : t('auth.changePassword')}
            </button>
            <button type="button" className="secondary" onClick={onClose}>
              {t('auth.cancel')}
            </button>
          </div>
        </form>
      )}
    </dialog>
  )
}
