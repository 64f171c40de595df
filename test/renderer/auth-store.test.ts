import { beforeEach, describe, expect, it } from 'vitest'
import type { AuthStatus, CallName, OutpostApi, SessionUser } from '../../shared/api'
import { setApi } from '../../renderer/src/api/outpost'
import { useAuthStore } from '../../renderer/src/stores/use-auth-store'
import { useNavStore } from '../../renderer/src/stores/use-nav-store'
import { useToastStore } from '../../renderer/src/stores/use-toast-store'

const amina: SessionUser = {
  id: 'u1',
  username: 'amina',
  displayName: 'Amina Yusuf',
  role: 'supervisor',
}
const kofi: SessionUser = {
  id: 'u2',
  username: 'kofi',
  displayName: 'Kofi Mensah',
  role: 'collector',
}
const status = (user: SessionUser | null): AuthStatus => ({
  setupDone: true,
  locked: user === null,
  encrypted: true,
  user,
  officeName: 'Gulu field office',
  idleLockMinutes: 15,
  recoveryAvailable: false,
})

/** A core that answers auth calls and records the order of every call it receives. */
function fakeCore(order: string[]): OutpostApi {
  let current = status(amina)
  return {
    invoke: (name: CallName, input: unknown) => {
      order.push(name)
      if (name === 'auth.lock') current = status(null)
      if (name === 'auth.login')
        current = status((input as { username: string }).username === 'kofi' ? kofi : amina)
      if (name === 'auth.login' && (input as { password: string }).password !== 'right') {
        return Promise.resolve({
          ok: false,
          error: { code: 'unauthorized', message: 'That user name and password do not match.' },
        })
      }
      if (name.startsWith('records.')) {
        return new Promise((resolve) =>
          setTimeout(() => {
            order.push(`${name}:answered`)
            resolve({ ok: true, value: {} as never })
          }, 20),
        )
      }
      return Promise.resolve({ ok: true, value: current as never })
    },
    on: () => () => undefined,
  }
}

describe('the auth store', () => {
  let order: string[]
  beforeEach(async () => {
    order = []
    setApi(fakeCore(order))
    useAuthStore.setState({ status: null, lockedBy: null, locking: false, loadError: null })
    useNavStore.getState().go({ name: 'home' })
    await useAuthStore.getState().load()
  })

  it('names who locked the laptop, and hides every role while locked', async () => {
    expect(useAuthStore.getState().status?.user).toEqual(amina)
    const lock = useAuthStore.getState().lock()
    expect(useAuthStore.getState().locking).toBe(true) // the app leaves the screen at once
    await lock
    expect(useAuthStore.getState().status?.locked).toBe(true)
    expect(useAuthStore.getState().lockedBy).toEqual(amina)
  })

  it('returns a wrong password to the form and keeps the laptop locked', async () => {
    await useAuthStore.getState().lock()
    const refused = await useAuthStore.getState().login('amina', 'wrong')
    expect(refused).toMatchObject({ code: 'unauthorized' })
    expect(useAuthStore.getState().status?.locked).toBe(true)
    expect(await useAuthStore.getState().login('amina', 'right')).toBeNull()
    expect(useAuthStore.getState().locking).toBe(false)
  })

  it('asks the core to lock only once the save sent by a closing screen is answered', async () => {
    const { call } = await import('../../renderer/src/api/outpost')
    const lock = useAuthStore.getState().lock()
    void call('records.update', { id: 'r1', changes: [] }) // sent as the form screen unmounts
    await lock
    expect(order.slice(-3)).toEqual(['records.update', 'records.update:answered', 'auth.lock'])
  })

  it('sends the next person to the forms list, but brings the same person back to their screen', async () => {
    useNavStore.getState().go({ name: 'records', formId: 'f1' })
    await useAuthStore.getState().lock()
    await useAuthStore.getState().login('amina', 'right')
    expect(useNavStore.getState().view).toEqual({ name: 'records', formId: 'f1' })
    await useAuthStore.getState().lock()
    await useAuthStore.getState().login('kofi', 'right')
    expect(useNavStore.getState().view).toEqual({ name: 'home' })
  })

  it('reopens a new record’s form as its records list after a lock', async () => {
    useNavStore.getState().go({ name: 'fill', formId: 'f1' })
    await useAuthStore.getState().lock()
    expect(useNavStore.getState().view).toEqual({ name: 'records', formId: 'f1' })
    await useAuthStore.getState().login('amina', 'right')
    useNavStore.getState().go({ name: 'fill', formId: 'f1', recordId: 'r1' })
    await useAuthStore.getState().lock()
    expect(useNavStore.getState().view).toEqual({ name: 'fill', formId: 'f1', recordId: 'r1' })
  })
})

describe('toasts while locked', () => {
  it('shows no "sign in" toast for a call that raced the lock, and shows it while signed in', () => {
    const unauthorized = { code: 'unauthorized', message: 'Sign in to continue.' }
    useToastStore.setState({ toasts: [] })
    useAuthStore.getState().apply(status(null))
    useToastStore.getState().showError(unauthorized)
    expect(useToastStore.getState().toasts).toEqual([])
    useToastStore.getState().showError({ code: 'internal', message: 'Disk full.' })
    expect(useToastStore.getState().toasts.map((t) => t.error.message)).toEqual(['Disk full.'])

    useAuthStore.getState().apply(status(amina))
    useToastStore.getState().showError(unauthorized)
    expect(useToastStore.getState().toasts.map((t) => t.error.message)).toEqual(['Disk full.', 'Sign in to continue.'])
  })
})
