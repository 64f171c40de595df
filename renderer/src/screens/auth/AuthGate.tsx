import { useEffect, useState, type ReactNode } from 'react'
import { useTranslation } from 'react-i18next'
import type { SessionUser } from '../../../../shared/api'
import { getApi } from '../../api/outpost'
import { Toasts } from '../../components/Toasts'
import { useAppStore } from '../../stores/use-app-store'
import { useAuthStore } from '../../stores/use-auth-store'
import { AuthLayout, FormError } from './fields'
import { activityEvents, atMostEvery, reportInterval, startIdleTimer } from './idle-timer'
import { LoginScreen } from './LoginScreen'
import { RecoveryScreen } from './RecoveryScreen'
import { SetupScreen } from './SetupScreen'

/**
 * Stands in front of the app: first-run setup, sign-in, the lock screen. While nobody is signed
 * in the app itself is not rendered at all, so no record stays in the page behind the lock.
 */
export function AuthGate({ children }: { children: ReactNode }) {
  const { t } = useTranslation()
  const status = useAuthStore((s) => s.status)
  const loadError = useAuthStore((s) => s.loadError)
  const locking = useAuthStore((s) => s.locking)
  const lockedBy = useAuthStore((s) => s.lockedBy)
  const load = useAuthStore((s) => s.load)
  const apply = useAuthStore((s) => s.apply)

  useEffect(() => {
    void load()
    void useAppStore.getState().start() // the saved language, before anyone signs in
    // The core locks on its own too (idle, another window): follow it, and look again when the
    // window comes back to the front in case an event was missed while the link was down.
    const onFocus = () => void load()
    window.addEventListener('focus', onFocus)
    const stop = getApi().on('auth.changed', apply)
    return () => {
      window.removeEventListener('focus', onFocus)
      stop()
    }
  }, [load, apply])

  if (loadError) {
    return (
      <AuthLayout title={t('auth.unavailableTitle')}>
        <FormError error={loadError} />
        <button type="button" className="primary" onClick={() => void load()}>
          {t('auth.tryAgain')}
        </button>
      </AuthLayout>
    )
  }
  if (!status) return <p className="auth-loading">{t('auth.opening')}</p>
  const signedIn = status.setupDone && !status.locked && status.user !== null && !locking
  if (!signedIn) {
    return (
      <>
        {status.setupDone ? (
          <SignIn key={lockedBy?.id ?? 'nobody'} lockedBy={lockedBy} />
        ) : (
          <SetupScreen />
        )}
        <Toasts />
      </>
    )
  }
  return (
    <>
      <IdleLock minutes={status.idleLockMinutes} />
      {children}
    </>
  )
}

function SignIn({ lockedBy }: { lockedBy: SessionUser | null }) {
  const [recovering, setRecovering] = useState(false)
  return recovering ? (
    <RecoveryScreen onBack={() => setRecovering(false)} />
  ) : (
    <LoginScreen lockedBy={lockedBy} onRecover={() => setRecovering(true)} />
  )
}

/** The L key whatever the keyboard layout (on an Arabic layout `key` is "م"). */
const isL = (event: KeyboardEvent) => event.code === 'KeyL' || event.key.toLowerCase() === 'l'

/** Locks after the configured minutes without keyboard or pointer, and on Ctrl+L (⌘L on a Mac). */
function IdleLock({ minutes }: { minutes: number }) {
  const lock = useAuthStore((s) => s.lock)
  const activity = useAuthStore((s) => s.activity)
  useEffect(() => {
    const limit = minutes * 60_000
    const timer = startIdleTimer(limit, () => void lock())
    const report = atMostEvery(reportInterval(limit), () => void activity())
    const onActivity = () => {
      timer.activity()
      report()
    }
    const onKey = (event: KeyboardEvent) => {
      if ((event.ctrlKey || event.metaKey) && !event.altKey && !event.shiftKey && isL(event)) {
        event.preventDefault()
        void lock()
      }
    }
    for (const name of activityEvents)
      window.addEventListener(name, onActivity, { capture: true, passive: true })
    window.addEventListener('keydown', onKey)
    return () => {
      timer.stop()
      for (const name of activityEvents)
        window.removeEventListener(name, onActivity, { capture: true })
      window.removeEventListener('keydown', onKey)
    }
  }, [minutes, lock, activity])
  return null
}
