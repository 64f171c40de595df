import { useState, type FormEvent } from 'react'
import { useTranslation } from 'react-i18next'
import { roles, type CallInput, type Role, type User } from '../../../../shared/api'
import type { AppError } from '../../../../shared/errors'
import { FormError } from './fields'
import { minPasswordLength } from './password-strength'

type Note = 'users.passwordReset' | 'users.roleChanged' | 'users.enabledNote' | 'users.disabledNote'

type Props = {
  user: User
  isMe: boolean
  update: (input: CallInput<'users.update'>) => Promise<AppError | null>
}

/** One account: its role changes at once, disabling asks nothing (it is undone the same way). */
export function UserRow({ user, isMe, update }: Props) {
  const { t } = useTranslation()
  const [error, setError] = useState<AppError | null>(null)
  const [note, setNote] = useState<Note | null>(null)
  const [resetting, setResetting] = useState(false)
  const [password, setPassword] = useState('')
  const [busy, setBusy] = useState(false)
  const name = user.displayName

  /** `done` names the note to show (translated when shown, so it follows a language switch). */
  const run = async (input: Omit<CallInput<'users.update'>, 'id'>, done: Note) => {
    setBusy(true)
    setNote(null)
    const refused = await update({ id: user.id, ...input })
    setBusy(false)
    setError(refused)
    if (!refused) setNote(done)
    return refused
  }
  const reset = async (event: FormEvent) => {
    event.preventDefault()
    if (password.length < minPasswordLength) {
      setError({
        code: 'validation',
        message: t('auth.passwordTooShort', { min: minPasswordLength }),
      })
      return
    }
    if (!(await run({ password }, 'users.passwordReset'))) {
      setResetting(false)
      setPassword('')
    }
  }

  return (
    <>
      <tr
        className={user.disabled ? 'user-row disabled' : 'user-row'}
        data-username={user.username}
      >
        <th scope="row">
          {name}
          {isMe && <span className="muted"> {t('users.you')}</span>}
        </th>
        <td dir="ltr">{user.username}</td>
        <td>
          <select
            value={user.role}
            disabled={busy}
            aria-label={t('users.roleOf', { name })}
            onChange={(e) => void run({ role: e.target.value as Role }, 'users.roleChanged')}
          >
            {roles.map((role) => (
              <option key={role} value={role}>
                {t(`users.role_${role}`)}
              </option>
            ))}
          </select>
        </td>
        <td>
          <span
            className={
              user.disabled ? 'status-badge status-rejected' : 'status-badge status-complete'
            }
          >
            {user.disabled ? t('users.disabled') : t('users.active')}
          </span>
        </td>
        <td>
          {resetting ? (
            <form className="user-reset" onSubmit={(event) => void reset(event)} noValidate>
              <input
                type="password"
                value={password}
                onChange={(e) => setPassword(e.target.value)}
                autoComplete="new-password"
                aria-label={t('users.newPasswordFor', { name })}
                autoFocus
              />
              <button type="submit" className="primary" disabled={busy}>
                {t('users.save')}
              </button>
              <button type="button" className="secondary" onClick={() => setResetting(false)}>
                {t('auth.cancel')}
              </button>
            </form>
          ) : (
            <div className="actions">
              {/* Turning off one's own account while signed in with it is refused by the core. */}
              {!isMe && (
                <button
                  type="button"
                  className={user.disabled ? 'secondary small' : 'secondary small danger'}
                  disabled={busy}
                  onClick={() =>
                    void run(
                      { disabled: !user.disabled },
                      user.disabled ? 'users.enabledNote' : 'users.disabledNote',
                    )
                  }
                  aria-label={t(user.disabled ? 'users.enableOf' : 'users.disableOf', { name })}
                >
                  {user.disabled ? t('users.enable') : t('users.disable')}
                </button>
              )}
              <button
                type="button"
                className="secondary small"
                disabled={busy}
                onClick={() => setResetting(true)}
                aria-label={t('users.resetOf', { name })}
              >
                {t('users.resetPassword')}
              </button>
            </div>
          )}
        </td>
      </tr>
      {(error || note) && (
        <tr className="user-row-message">
          <td colSpan={5}>
            <FormError error={error} />
            {note && !error && <p role="status">{t(note, { name })}</p>}
          </td>
        </tr>
      )}
    </>
  )
}
