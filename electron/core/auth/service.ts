import { uuidv7 } from 'uuidv7'
import type { AuthStatus, CallArgs, CallName, Role, SessionUser, User } from '../../../shared/api'
import { callPermissions, can, describeCall } from '../../../shared/api'
import { parseRecoveryKey, sealTo } from '../../../shared/crypto/seal'
import { AppFailure } from '../../../shared/errors'
import type { Store } from '../db/open'
import type { EventBus } from '../events'
import type { StringCipher } from '../secrets/sealed-keystore'
import {
  defaultKdf,
  isDataKey,
  keyCheckOf,
  newDataKey,
  readKeyring,
  recoveryInfo,
  unwrapForUser,
  wrapForUser,
  writeKeyring,
  type KdfParams,
  type Keyring,
  type UserWrap,
} from './keyring'
import { createThrottle } from './throttle'
import { findUser, insertUser, listUsers, updateUser } from './users'

/** What the core opens once the data key is known: the store and everything built on it. */
export type OpenedData = { store: Store; deviceId: string; close: () => Promise<void> }

export type AuthDeps = {
  dataDir: string
  events: EventBus
  /** Opens (and if needed migrates to encrypted) the data folder with the data key. */
  open: (dataKey: Buffer) => Promise<OpenedData>
  /** Whether the folder still holds a plain database from before encryption. */
  plainDatabase: () => boolean
  /** The OS keychain (Electron safeStorage): lets the app open the store while locked. */
  keychain?: StringCipher | undefined
  kdf?: KdfParams | undefined
  now?: () => number
  log?: (message: string, detail?: unknown) => void
}

export const defaultIdleLockMinutes = 15
const idleSettingKey = 'idle_lock_minutes'
/** Calls that a screen makes on a timer: they neither count as activity nor wake an idle laptop. */
const pollCalls = new Set<CallName>(['auth.status', 'sync.status', 'app.info', 'records.stats'])
const roleNames: Record<Role, string> = { supervisor: 'Supervisor', collector: 'Collector', clerk: 'Data-entry clerk' }
const recoveryThrottleKey = '#recovery'

const wrongCredentials = () => new AppFailure('unauthorized', 'That user name and password do not match.')
const signInFirst = () => new AppFailure('unauthorized', 'Sign in to continue.')

/**
 * Accounts, sessions and the data key. The key is known after setup, a sign-in, a recovery, or
 * at start from the keychain wrap; from then on the store stays open (sync keeps running) until
 * the core closes. Locking forgets the user, not the key: memory of a running app is outside
 * what encryption at rest protects (docs/security.md).
 */
export function createAuth(deps: AuthDeps) {
  const now = deps.now ?? Date.now
  const kdf = deps.kdf ?? defaultKdf
  const throttle = createThrottle(deps.dataDir, now)
  let keyring: Keyring | null = null
  let dataKey: Buffer | null = null
  let opened: OpenedData | null = null
  let user: SessionUser | null = null
  let lastActivity = now()
  let idleLockMinutes = defaultIdleLockMinutes
  let queue: Promise<unknown> = Promise.resolve()

  /** One keyring change at a time: two concurrent writers would drop each other's wraps. */
  function serial<T>(task: () => Promise<T>): Promise<T> {
    const run = queue.then(task, task)
    queue = run.catch(() => undefined)
    return run
  }

  function status(): AuthStatus {
    return {
      setupDone: keyring !== null,
      locked: keyring !== null && user === null,
      encrypted: opened !== null || !deps.plainDatabase(),
      user,
      officeName: keyring?.officeName ?? null,
      idleLockMinutes,
      recoveryAvailable: keyring?.recovery != null,
    }
  }

  function changed(): AuthStatus {
    const current = status()
    deps.events.emit('auth.changed', current)
    return current
  }

  function requireKeyring(): Keyring {
    if (!keyring) throw new AppFailure('unauthorized', 'This laptop is not set up yet. Create the first supervisor account.')
    return keyring
  }

  function requireOpen(): { store: Store; key: Buffer; ring: Keyring } {
    if (!opened || !dataKey || !keyring) throw signInFirst()
    return { store: opened.store, key: dataKey, ring: keyring }
  }

  async function saveKeyring(next: Keyring): Promise<void> {
    await writeKeyring(deps.dataDir, next)
    keyring = next
  }

  const withWrap = (ring: Keyring, wrap: UserWrap): Keyring => ({
    ...ring,
    users: [...ring.users.filter((w) => w.userId !== wrap.userId), wrap],
  })

  async function openWith(key: Buffer): Promise<void> {
    if (opened) return
    opened = await deps.open(key)
    dataKey = key
    const ring = requireKeyring()
    // Setup may have been cut off before the first supervisor reached the database.
    if (!(await findUser(opened.store, { id: ring.firstUser.userId }))) {
      const { userId, username, displayName } = ring.firstUser
      if (!(await findUser(opened.store, { username }))) {
        await insertUser(opened.store, { id: userId, username, displayName, role: 'supervisor' }, now)
      }
    }
    const setting = await opened.store.db.selectFrom('settings').select('value').where('key', '=', idleSettingKey).executeTakeFirst()
    if (setting) idleLockMinutes = Number(JSON.parse(setting.value)) || defaultIdleLockMinutes
    if (ring.deviceId !== opened.deviceId) await saveKeyring({ ...ring, deviceId: opened.deviceId })
    await ensureWraps()
  }

  /**
   * The optional wraps, added as soon as they become possible: the keychain one at the first
   * open in the app, the recovery one once the registry's public key is known (enrollment).
   */
  async function ensureWraps(): Promise<void> {
    if (!opened || !dataKey || !keyring) return
    let next = keyring
    if (!next.keychain && deps.keychain?.isEncryptionAvailable()) {
      next = { ...next, keychain: deps.keychain.encryptString(dataKey.toString('base64')).toString('base64') }
    }
    if (!next.recovery) {
      const read = (key: string) =>
        (opened?.store.sqlite.prepare('SELECT value FROM sync_state WHERE key = ?').get(key) as { value: string } | undefined)?.value
      const registryKey = read('registry_encryption_key')
      const registryDeviceId = read('registry_device_id')
      if (registryKey && registryDeviceId) {
        next = { ...next, recovery: { deviceId: registryDeviceId, sealed: sealTo(registryKey, dataKey, recoveryInfo(registryDeviceId)) } }
      }
    }
    if (next !== keyring) await saveKeyring(next)
  }

  function signIn(found: User): AuthStatus {
    if (found.disabled) throw new AppFailure('forbidden', 'This account is turned off. Ask a supervisor to turn it back on.')
    user = { id: found.id, username: found.username, displayName: found.displayName, role: found.role }
    lastActivity = now()
    return changed()
  }

  function lockNow(): AuthStatus {
    user = null
    return changed()
  }

  function checkIdle(): void {
    if (user && now() - lastActivity >= idleLockMinutes * 60_000) lockNow()
  }

  return {
    status,

    /** Reads the keyring; with the keychain wrap the store opens now, so sync runs while locked. */
    start: async (): Promise<void> => {
      keyring = await readKeyring(deps.dataDir, deps.log)
      if (!keyring?.keychain || !deps.keychain?.isEncryptionAvailable()) return
      try {
        const key = Buffer.from(deps.keychain.decryptString(Buffer.from(keyring.keychain, 'base64')), 'base64')
        if (isDataKey(keyring, key)) await openWith(key)
      } catch (error) {
        // The keychain changed (another OS account, a reset): the store opens at sign-in instead.
        deps.log?.('The keychain wrap of the data key could not be used', error)
      }
    },

    /** The guard every call passes in dispatch, before its handler runs. */
    authorize: (name: CallName): void => {
      checkIdle()
      const permission = callPermissions[name]
      if (permission === 'public') return
      if (!user) throw signInFirst()
      if (!can(user.role, permission)) {
        throw new AppFailure('forbidden', `${roleNames[user.role]} accounts cannot ${describeCall(name)}. Ask a supervisor.`, { role: user.role, permission })
      }
      if (!pollCalls.has(name)) lastActivity = now()
    },

    checkIdle,

    /** The renderer saw keys or pointer moves; `authorize` already locked a session past its limit. */
    activity: (): AuthStatus => {
      if (user) lastActivity = now()
      return status()
    },

    deviceId: (): string | null => keyring?.deviceId ?? null,
    currentUser: (): SessionUser | null => user,
    ensureWraps: () => serial(ensureWraps),

    setup: (input: CallArgs<'auth.setup'>) =>
      serial(async () => {
        if (keyring || (await readKeyring(deps.dataDir))) {
          throw new AppFailure('conflict', 'This laptop is already set up. Sign in instead.')
        }
        const key = newDataKey()
        const userId = uuidv7()
        const wrap = await wrapForUser(key, { userId, username: input.username }, input.password, kdf)
        await saveKeyring({
          version: 1,
          deviceId: null,
          officeName: input.officeName,
          firstUser: { userId, username: input.username, displayName: input.displayName },
          keyCheck: keyCheckOf(key),
          users: [wrap],
          keychain: null,
          recovery: null,
          createdAt: now(),
        })
        await openWith(key)
        const found = await findUser(requireOpen().store, { id: userId })
        if (!found) throw new AppFailure('internal', 'The first account was not created.')
        return signIn(found)
      }),

    login: (input: CallArgs<'auth.login'>) =>
      serial(async () => {
        const ring = requireKeyring()
        await throttle.check(input.username)
        const wrap = ring.users.find((w) => w.username === input.username)
        // An unknown name costs the same KDF as a wrong password, so timing does not tell them apart.
        const key = wrap ? await unwrapForUser(wrap, input.password) : (await wrapForUser(newDataKey(), { userId: '-', username: '-' }, input.password, kdf), null)
        if (!key || !wrap) {
          await throttle.failed(input.username)
          throw wrongCredentials()
        }
        await openWith(key)
        const found = await findUser(requireOpen().store, { id: wrap.userId })
        if (!found) throw wrongCredentials()
        await throttle.succeeded(input.username)
        return signIn(found)
      }),

    lock: (): Promise<AuthStatus> => Promise.resolve(user ? lockNow() : status()),

    changePassword: (input: CallArgs<'auth.changePassword'>) =>
      serial(async () => {
        const current = user
        if (!current) throw signInFirst()
        const { key, ring } = requireOpen()
        await throttle.check(current.username)
        const wrap = ring.users.find((w) => w.userId === current.id)
        const unwrapped = wrap ? await unwrapForUser(wrap, input.currentPassword) : null
        if (!unwrapped) {
          await throttle.failed(current.username)
          throw new AppFailure('unauthorized', 'The current password is not right, so nothing was changed.')
        }
        await throttle.succeeded(current.username)
        await saveKeyring(withWrap(ring, await wrapForUser(key, { userId: current.id, username: current.username }, input.newPassword, kdf)))
        return status()
      }),

    configure: async (input: CallArgs<'auth.configure'>): Promise<AuthStatus> => {
      const { store } = requireOpen()
      const value = JSON.stringify(input.idleLockMinutes)
      await store.db
        .insertInto('settings')
        .values({ key: idleSettingKey, value, updated_at: now() })
        .onConflict((oc) => oc.column('key').doUpdateSet({ value, updated_at: now() }))
        .execute()
      idleLockMinutes = input.idleLockMinutes
      return changed()
    },

    recoveryInfo: () =>
      Promise.resolve({
        deviceId: keyring?.recovery?.deviceId ?? keyring?.deviceId ?? '',
        sealedKey: keyring?.recovery?.sealed ?? null,
      }),

    recover: (input: CallArgs<'auth.recover'>) =>
      serial(async () => {
        const ring = requireKeyring()
        await throttle.check(recoveryThrottleKey)
        const key = parseRecoveryKey(input.recoveryKey)
        if (!key) {
          throw new AppFailure('validation', 'That is not a recovery key. It is 52 letters and digits in groups of four, as HQ read it out.')
        }
        if (!isDataKey(ring, key)) {
          await throttle.failed(recoveryThrottleKey)
          throw new AppFailure('unauthorized', 'This recovery key is not the one for this laptop. Check the device id you gave HQ.')
        }
        await throttle.succeeded(recoveryThrottleKey)
        await openWith(Buffer.from(key))
        const { store } = requireOpen()
        const found = await findUser(store, { username: input.username })
        if (!found || found.role !== 'supervisor') {
          throw new AppFailure('forbidden', 'Recovery resets the password of a supervisor account. Type the user name of a supervisor on this laptop.')
        }
        const enabled = found.disabled ? await updateUser(store, found.id, { disabled: false }, now) : found
        await saveKeyring(withWrap(requireKeyring(), await wrapForUser(Buffer.from(key), { userId: found.id, username: found.username }, input.newPassword, kdf)))
        await throttle.succeeded(found.username)
        return signIn(enabled)
      }),

    listUsers: () => listUsers(requireOpen().store),

    createUser: (input: CallArgs<'users.create'>) =>
      serial(async () => {
        const { store, key } = requireOpen()
        const created = await insertUser(store, input, now)
        await saveKeyring(withWrap(requireKeyring(), await wrapForUser(key, { userId: created.id, username: created.username }, input.password, kdf)))
        return created
      }),

    /**
     * A turned-off account loses its wrap: its password no longer opens the data key. Turning
     * it back on therefore needs a new password.
     */
    updateUser: (input: CallArgs<'users.update'>) =>
      serial(async () => {
        const { store, key, ring } = requireOpen()
        if (input.id === user?.id && input.disabled === true) {
          throw new AppFailure('validation', 'You cannot turn off your own account while you are signed in with it.')
        }
        const before = await findUser(store, { id: input.id })
        if (!before) throw new AppFailure('not_found', 'That user no longer exists on this laptop.')
        const hasWrap = ring.users.some((w) => w.userId === input.id)
        const willBeDisabled = input.disabled ?? before.disabled
        if (!willBeDisabled && !hasWrap && !input.password) {
          throw new AppFailure('validation', `Set a new password for ${before.displayName} to turn the account back on.`)
        }
        const updated = await updateUser(store, input.id, input, now)
        let next = ring
        if (updated.disabled) next = { ...next, users: next.users.filter((w) => w.userId !== updated.id) }
        else if (input.password) next = withWrap(next, await wrapForUser(key, { userId: updated.id, username: updated.username }, input.password, kdf))
        if (next !== ring) await saveKeyring(next)
        if (user?.id === updated.id) {
          user = { id: updated.id, username: updated.username, displayName: updated.displayName, role: updated.role }
          changed()
        }
        return updated
      }),

    close: async (): Promise<void> => {
      await queue
      user = null
      dataKey?.fill(0)
      dataKey = null
      const closing = opened
      opened = null
      await closing?.close()
    },
  }
}

export type Auth = ReturnType<typeof createAuth>
