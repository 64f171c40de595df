import { create } from 'zustand'
import type { AuthStatus, CallInput, SessionUser } from '../../../shared/api'
import { toAppError, type AppError } from '../../../shared/errors'
import { call, pendingCalls } from '../api/outpost'
import { settleWrites } from '../screens/auth/settle-writes'
import { useNavStore } from './use-nav-store'
import { useToastStore } from './use-toast-store'

type AuthState = {
  status: AuthStatus | null
  /** The core could not say who is signed in: the gate shows this instead of any screen. */
  loadError: AppError | null
  /** Who was signed in when the laptop locked, so the lock screen can name them. */
  lockedBy: SessionUser | null
  /** Set the moment a lock is asked for: the app content leaves the screen before the core answers. */
  locking: boolean
  load: () => Promise<void>
  apply: (status: AuthStatus) => void
  setup: (input: CallInput<'auth.setup'>) => Promise<AppError | null>
  login: (username: string, password: string) => Promise<AppError | null>
  recover: (input: CallInput<'auth.recover'>) => Promise<AppError | null>
  changePassword: (currentPassword: string, newPassword: string) => Promise<AppError | null>
  configure: (idleLockMinutes: number) => Promise<AppError | null>
  lock: () => Promise<void>
  /** Tells the core someone is at the screen, so its own idle clock does not lock a reader. */
  activity: () => Promise<void>
}

let lastUserId: string | null = null

/**
 * A new record's form has no id to reopen it by; after a lock the person finds their draft (saved
 * as the form closed) at the top of that form's records instead of in a blank new form.
 */
function leaveNewRecord(): void {
  const nav = useNavStore.getState()
  if (nav.view.name === 'fill' && !nav.view.recordId)
    nav.go({ name: 'records', formId: nav.view.formId })
}

/** Runs a call that returns the new status; a refusal is returned for the form to show in place. */
async function statusCall(run: () => Promise<AuthStatus>): Promise<AppError | null> {
  try {
    useAuthStore.getState().apply(await run())
    return null
  } catch (error) {
    return toAppError(error)
  }
}

export const useAuthStore = create<AuthState>((set, get) => ({
  status: null,
  loadError: null,
  lockedBy: null,
  locking: false,
  load: async () => {
    try {
      get().apply(await call('auth.status', {}))
      set({ loadError: null })
    } catch (error) {
      set({ loadError: toAppError(error) })
    }
  },
  apply: (status) => {
    const previous = get().status?.user ?? null
    const user = status.user && !status.locked ? status.user : null
    if (user) {
      // Someone else signing in starts from the forms list, not inside the last person's record.
      if (lastUserId !== null && lastUserId !== user.id) useNavStore.getState().go({ name: 'home' })
      lastUserId = user.id
      set({ status, locking: false })
    } else {
      if (previous) leaveNewRecord() // locked by the core (idle, another window)
      // The core may name who locked it; otherwise it is whoever was signed in a moment ago.
      set({ status, lockedBy: status.user ?? previous ?? get().lockedBy })
    }
  },
  setup: (input) => statusCall(() => call('auth.setup', input)),
  login: (username, password) => statusCall(() => call('auth.login', { username, password })),
  recover: (input) => statusCall(() => call('auth.recover', input)),
  changePassword: (currentPassword, newPassword) =>
    statusCall(() => call('auth.changePassword', { currentPassword, newPassword })),
  configure: (idleLockMinutes) => statusCall(() => call('auth.configure', { idleLockMinutes })),
  lock: async () => {
    if (get().locking) return
    leaveNewRecord()
    set({ locking: true, lockedBy: get().status?.user ?? get().lockedBy })
    // The screens that just closed save what is pending as they unmount (the form screen does):
    // let those saves reach the core before it stops accepting them.
    await settleWrites(pendingCalls)
    try {
      get().apply(await call('auth.lock', {}))
    } catch (error) {
      // The lock screen stays up either way: signing in again is always possible.
      useToastStore.getState().showError(error)
    }
  },
  activity: async () => {
    if (get().locking || !get().status?.user) return
    try {
      get().apply(await call('auth.activity', {}))
    } catch {
      // Best effort: a missed report only lets the core's idle lock come sooner.
    }
  },
}))

/**
 * While the laptop is locked, or locking, the lock screen is the message: a call that raced the
 * lock (a screen's poll, a form loading as it closed) and came back "sign in" is no error to show.
 */
useToastStore.setState({
  mute: (error) => {
    const auth = useAuthStore.getState()
    return error.code === 'unauthorized' && (auth.locking || !auth.status?.user || auth.status.locked)
  },
})

/** The signed-in person's role, or null while locked. */
export const useRole = () =>
  useAuthStore((s) =>
    s.status && !s.status.locked && !s.locking ? (s.status.user?.role ?? null) : null,
  )
