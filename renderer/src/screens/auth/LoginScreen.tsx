import { useEffect, useRef, useState, type FormEvent } from 'react'
import { useTranslation } from 'react-i18next'
import type { SessionUser } from '../../../../shared/api'
import type { AppError } from '../../../../shared/errors'
import { useAuthStore } from '../../stores/use-auth-store'
import { AuthLayout, Field, FormError } from './fields'
import { retryAfterOf, secondsLeft } from './retry-countdown'

type Failure = { error: AppError; at: number }

/** Seconds until the core accepts another try after failed sign-ins; 0 when it would now. */
function useRetryCountdown(failure: Failure | null): number {
  const [now, setNow] = useState(() => Date.now())
  const retryAfter = retryAfterOf(failure?.error.details)
  useEffect(() => {
    if (retryAfter === null || !failure) return
    const timer = setInterval(() => {
      setNow(Date.now())
      if (Date.now() >= failure.at + retryAfter) clearInterval(timer)
    }, 250)
    return () => clearInterval(timer)
  }, [failure, retryAfter])
  // `now` may predate the failure until the first tick: count from the failure, not before it.
  return retryAfter === null || !failure
    ? 0
    : secondsLeft(retryAfter, failure.at, Math.max(now, failure.at))
}

/**
 * Sign-in, and the lock screen when someone was signed in: it names them and asks only for their
 * password, with "Switch user" for the next person at the laptop.
 */
export function LoginScreen({
  lockedBy,
  onRecover,
}: {
  lockedBy: SessionUser | null
  onRecover: () => void
}) {
  const { t } = useTranslation()
  const login = useAuthStore((s) => s.login)
  const officeName = useAuthStore((s) => s.status?.officeName ?? null)
  const [switching, setSwitching] = useState(false)
  const unlocking = lockedBy !== null && !switching
  const [username, setUsername] = useState('')
  const [password, setPassword] = useState('')
  const [failure, setFailure] = useState<Failure | null>(null)
  const [busy, setBusy] = useState(false)
  const wait = useRetryCountdown(failure)
  const limited =
    failure?.error.code === 'rate_limited' && retryAfterOf(failure.error.details) !== null
  const passwordBox = useRef<HTMLDivElement>(null)

  const submit = async (event: FormEvent) => {
    event.preventDefault()
    if (wait > 0 || busy) return
    setBusy(true)
    const refused = await login(unlocking ? lockedBy.username : username, password)
    setBusy(false)
    setFailure(refused ? { error: refused, at: Date.now() } : null)
    if (refused) {
      setPassword('')
      passwordBox.current?.querySelector('input')?.focus()
    }
  }
  const switchUser = () => {
    setSwitching(true)
    setPassword('')
    setFailure(null)
  }

  return (
    <AuthLayout title={unlocking ? t('auth.lockedTitle') : t('auth.loginTitle')}>
      {officeName && <p className="auth-office">{officeName}</p>}
      {unlocking && (
        <p className="auth-locked-by" data-testid="locked-by">
          {t('auth.lockedBy', {
            name: lockedBy.displayName,
            role: t(`users.role_${lockedBy.role}`),
          })}
        </p>
      )}
      <form className="auth-form" onSubmit={(event) => void submit(event)} noValidate>
        {!unlocking && (
          <Field
            name="username"
            label={t('auth.username')}
            value={username}
            onChange={setUsername}
            autoComplete="username"
            autoFocus
          />
        )}
        <div ref={passwordBox}>
          <Field
            name="password"
            label={t('auth.password')}
            type="password"
            value={password}
            onChange={setPassword}
            autoComplete="current-password"
            autoFocus={unlocking}
          />
        </div>
        {/* The core's "wait N seconds" would go stale on screen: a live, translated countdown replaces it. */}
        <FormError error={limited ? null : (failure?.error ?? null)}>
          {limited && (
            <p className="auth-wait" data-testid="retry-wait">
              {wait > 0 ? t('auth.retryIn', { count: wait }) : t('auth.retryNow')}
            </p>
          )}
        </FormError>
        <div className="auth-actions">
          <button type="submit" className="primary" disabled={busy || wait > 0}>
            {busy ? t('auth.checking') : unlocking ? t('auth.unlock') : t('auth.signIn')}
          </button>
          {unlocking && (
            <button type="button" className="secondary" onClick={switchUser}>
              {t('auth.switchUser')}
            </button>
          )}
          {lockedBy && switching && (
            <button type="button" className="link" onClick={() => setSwitching(false)}>
              {t('auth.backToUnlock', { name: lockedBy.displayName })}
            </button>
          )}
        </div>
      </form>
      <p className="auth-forgot">
        <button type="button" className="link" onClick={onRecover}>
          {t('auth.forgot')}
        </button>
      </p>
    </AuthLayout>
  )
}
