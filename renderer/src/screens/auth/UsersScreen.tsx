import { useState, type FormEvent } from 'react'
import { useTranslation } from 'react-i18next'
import { roles, type Role } from '../../../../shared/api'
import type { AppError } from '../../../../shared/errors'
import { useAuthStore } from '../../stores/use-auth-store'
import { useNavStore } from '../../stores/use-nav-store'
import { Field, FormError, problemsOf, StrengthHint, useFields, type FieldProblems } from './fields'
import { minPasswordLength } from './password-strength'
import { IdleLockSetting } from './IdleLockSetting'
import { useUsers } from './use-users'
import { UserRow } from './UserRow'

const usernamePattern = /^[a-z0-9._-]{2,64}$/
const empty = { displayName: '', username: '', role: 'collector' as Role, password: '' }

/** The supervisor's list of who may use this laptop: add, change role, disable, reset a password. */
export function UsersScreen() {
  const { t } = useTranslation()
  const go = useNavStore((s) => s.go)
  const me = useAuthStore((s) => s.status?.user?.id ?? null)
  const { users, loadError, reload, create, update } = useUsers()
  const { form, setForm, setProblems, field } = useFields(empty)
  const [error, setError] = useState<AppError | null>(null)
  const [added, setAdded] = useState<{ name: string; username: string } | null>(null)
  const [busy, setBusy] = useState(false)

  const submit = async (event: FormEvent) => {
    event.preventDefault()
    const found: FieldProblems = {}
    if (!form.displayName.trim()) found.displayName = t('auth.required')
    if (!usernamePattern.test(form.username.trim().toLowerCase()))
      found.username = t('auth.usernameRule')
    if (form.password.length < minPasswordLength)
      found.password = t('auth.passwordTooShort', { min: minPasswordLength })
    setProblems(found)
    setError(null)
    setAdded(null)
    if (Object.keys(found).length > 0) return
    setBusy(true)
    const refused = await create(form)
    setBusy(false)
    setError(refused)
    setProblems(problemsOf(refused))
    if (!refused) {
      setAdded({ name: form.displayName.trim(), username: form.username.trim().toLowerCase() })
      setForm(empty)
    }
  }

  return (
    <section
      className="screen users-screen"
      data-testid="users-screen"
      aria-labelledby="users-title"
    >
      <div className="home-head">
        <h1 id="users-title">{t('users.title')}</h1>
        <button type="button" className="secondary" onClick={() => go({ name: 'home' })}>
          {t('users.back')}
        </button>
      </div>
      <p className="muted">{t('users.intro')}</p>
      {loadError && (
        <FormError error={loadError}>
          <button type="button" className="link" onClick={reload}>
            {t('auth.tryAgain')}
          </button>
        </FormError>
      )}
      {users && (
        <table className="users-table">
          <caption className="visually-hidden">{t('users.title')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('users.name')}</th>
              <th scope="col">{t('auth.username')}</th>
              <th scope="col">{t('users.role')}</th>
              <th scope="col">{t('users.status')}</th>
              <th scope="col">{t('users.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {users.map((user) => (
              <UserRow key={user.id} user={user} isMe={user.id === me} update={update} />
            ))}
          </tbody>
        </table>
      )}
      <IdleLockSetting />
      <form
        className="auth-form users-add"
        onSubmit={(event) => void submit(event)}
        noValidate
        aria-labelledby="users-add-title"
      >
        <h2 id="users-add-title">{t('users.addTitle')}</h2>
        <div className="users-add-grid">
          <Field label={t('users.name')} autoComplete="off" {...field('displayName')} />
          <Field
            label={t('auth.username')}
            autoComplete="off"
            hint={t('auth.usernameRule')}
            {...field('username')}
          />
          <div className="auth-field">
            <label htmlFor="users-add-role">{t('users.role')}</label>
            <select
              id="users-add-role"
              value={form.role}
              onChange={(e) => setForm((f) => ({ ...f, role: e.target.value as Role }))}
            >
              {roles.map((role) => (
                <option key={role} value={role}>
                  {t(`users.role_${role}`)}
                </option>
              ))}
            </select>
            <small className="auth-hint">{t(`users.roleHint_${form.role}`)}</small>
          </div>
          <Field
            label={t('users.initialPassword')}
            type="password"
            autoComplete="new-password"
            hint={<StrengthHint password={form.password} />}
            {...field('password')}
          />
        </div>
        <FormError error={error} />
        {added && (
          <p className="auth-success" role="status">
            {t('users.added', added)}
          </p>
        )}
        <button type="submit" className="primary" disabled={busy}>
          {busy ? t('users.adding') : t('users.add')}
        </button>
      </form>
    </section>
  )
}
