import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { callNames, defaultSettings, type CallName, type FileChoice, type Handlers } from '../../shared/api'
import { AppFailure } from '../../shared/errors'
import { createAuth, type Auth } from './auth/service'
import type { KdfParams } from './auth/keyring'
import { encryptFolder, isPlainDatabase } from './auth/encrypt-folder'
import { loadMigrationFiles, schemaVersion } from './db/migrate'
import { openStore, type Store } from './db/open'
import { loadSelfDevice, type Device } from './device'
import { createDispatcher, type Dispatch, type Logger } from './dispatch'
import { EventBus } from './events'
import { getFormVersion } from './forms/get'
import { importForm } from './forms/import'
import { listForms } from './forms/list'
import { forgetAttachmentKey, setAttachmentKey } from './records/attachments'
import { createRecordsHandlers } from './records/handlers'
import type { StringCipher } from './secrets/sealed-keystore'
import { readSettings, updateSettings } from './settings'
import { createSyncHandlers } from './sync/handlers'
import { createPackagesHandlers } from './packages/handlers'
import type { KeyStore } from './sync/keystore'

export type CoreOptions = {
  dataDir: string
  migrationsDir: string
  version: string
  shell: 'electron' | 'browser'
  log?: Logger
  /** Where the device key lives: the OS keychain in the app; a 0600 file by default. */
  keyStore?: KeyStore
  /** The OS keychain (safeStorage in the app): wraps the data key so the store opens while locked. */
  keychain?: StringCipher
  /** Password KDF parameters for new wraps (tests use cheaper ones; the app the default). */
  kdf?: KdfParams
  /** Clock for the idle lock and the login back-off. */
  now?: () => number
  /** The system's Save/Open dialog (Electron's `dialog` in the app); absent in the browser build. */
  chooseFile?: (choice: FileChoice) => Promise<string | null>
}

export type Core = {
  /** The open store; throws `unauthorized` before setup, sign-in or the keychain opened it. */
  readonly store: Store
  readonly device: Device
  readonly auth: Auth
  events: EventBus
  handlers: Handlers
  dispatch: Dispatch
  close: () => Promise<void>
}

/** The calls the core answers itself, with or without an open store. */
type OwnCall = `auth.${string}` | `users.${string}` | `app.${string}` | 'settings.get'
type DomainHandlers = Omit<Handlers, Extract<CallName, OwnCall>>
type Domain = { store: Store; device: Device; handlers: DomainHandlers; close: () => Promise<void> }

/** Everything the app does, in plain Node: Electron main and the browser bridge both wrap this. */
export async function createCore(options: CoreOptions): Promise<Core> {
  const { dataDir } = options
  mkdirSync(dataDir, { recursive: true })
  const dbFile = join(dataDir, 'outpost.db')
  const events = new EventBus()
  const log = options.log
  let domain: Domain | null = null
  let dataKey: Buffer | null = null

  /** The store and every domain on it, built once the data key is known. */
  async function openDomain(key: Buffer): Promise<Domain> {
    setAttachmentKey(dataDir, key)
    await encryptFolder(dataDir, key)
    const store = openStore(dbFile, options.migrationsDir, key)
    dataKey = Buffer.from(key)
    const device = await loadSelfDevice(store)
    const author = () => auth.currentUser()?.username ?? 'system'
    const sync = createSyncHandlers({ store, device, events, dataDir, userId: author, ...(options.keyStore ? { keyStore: options.keyStore } : {}) })
    const records = createRecordsHandlers({ store, device, events, dataDir, session: () => auth.currentUser(), dataKey: () => dataKey ?? undefined })
    /** A change saved here is waiting to be sent from that moment: the status line hears it at once, not at its next poll. */
    const thenSyncStatus =
      <I, O>(handler: (input: I) => Promise<O>) =>
      async (input: I): Promise<O> => {
        const value = await handler(input)
        events.emit('sync.progress', sync.client.status())
        return value
      }
    const handlers: DomainHandlers = {
      'settings.update': async (patch) => {
        const settings = await updateSettings(store, patch)
        events.emit('settings.changed', settings)
        return settings
      },
      'forms.list': () => listForms(store),
      'forms.get': ({ id, formVersionId, media }) => getFormVersion(store, id, formVersionId, media),
      'forms.import': ({ fileName, contentBase64, media }) =>
        importForm(
          store,
          fileName,
          new Uint8Array(Buffer.from(contentBase64, 'base64')),
          Date.now,
          media.map((file) => ({ fileName: file.fileName, bytes: new Uint8Array(Buffer.from(file.contentBase64, 'base64')) })),
        ),
      ...records,
      'records.create': thenSyncStatus(records['records.create']),
      'records.update': thenSyncStatus(records['records.update']),
      'records.setStatus': thenSyncStatus(records['records.setStatus']),
      'records.delete': thenSyncStatus(records['records.delete']),
      'records.restore': thenSyncStatus(records['records.restore']),
      'records.restoreField': thenSyncStatus(records['records.restoreField']),
      'records.addAttachment': thenSyncStatus(records['records.addAttachment']),
      ...sync.handlers,
      ...createPackagesHandlers({ store, device, events, dataDir, keyStore: options.keyStore, client: sync.client }),
      'sync.enroll': async (input) => {
        const enrolled = await sync.handlers['sync.enroll'](input)
        // The registry's public key is known now: seal the recovery wrap to it.
        await auth.ensureWraps()
        return enrolled
      },
    }
    domain = {
      store,
      device,
      handlers,
      close: async () => {
        // Background sync must be stopped and idle before the database closes under it.
        sync.client.stop()
        await sync.client.idle()
        await store.close()
        forgetAttachmentKey(dataDir)
        dataKey?.fill(0)
        dataKey = null
      },
    }
    return domain
  }

  const auth = createAuth({
    dataDir,
    events,
    open: async (key) => {
      const opened = await openDomain(key)
      return { store: opened.store, deviceId: opened.device.id, close: opened.close }
    },
    plainDatabase: () => isPlainDatabase(dbFile),
    keychain: options.keychain,
    kdf: options.kdf,
    now: options.now,
    log: (message, detail) => log?.error(message, detail),
  })
  await auth.start()

  const requireDomain = (): Domain => {
    if (!domain) throw new AppFailure('unauthorized', 'Sign in to continue.')
    return domain
  }
  const latestSchema = Math.max(0, ...loadMigrationFiles(options.migrationsDir).map((file) => file.version))

  const own: Pick<Handlers, Extract<CallName, OwnCall>> = {
    'app.info': () =>
      Promise.resolve({
        name: 'Outpost' as const,
        version: options.version,
        schemaVersion: domain ? schemaVersion(domain.store.sqlite) : latestSchema,
        deviceId: domain?.device.id ?? auth.deviceId() ?? '',
        shell: options.shell,
        fileDialogs: options.chooseFile !== undefined,
      }),
    'app.chooseFile': async (input) => {
      if (!options.chooseFile) throw new AppFailure('unavailable', 'There is no file dialog here: type the path instead.')
      return { path: await options.chooseFile(input) }
    },
    // The interface language is needed on the sign-in screen, before the store is open.
    'settings.get': () => (domain ? readSettings(domain.store) : Promise.resolve(defaultSettings)),
    'auth.status': () => Promise.resolve(auth.status()),
    'auth.setup': (input) => auth.setup(input),
    'auth.login': (input) => auth.login(input),
    'auth.lock': () => auth.lock(),
    'auth.activity': () => Promise.resolve(auth.activity()),
    'auth.changePassword': (input) => auth.changePassword(input),
    'auth.configure': (input) => auth.configure(input),
    'auth.recoveryInfo': () => auth.recoveryInfo(),
    'auth.recover': (input) => auth.recover(input),
    'users.list': () => auth.listUsers(),
    'users.create': (input) => auth.createUser(input),
    'users.update': (input) => auth.updateUser(input),
  }
  const delegated = Object.fromEntries(
    callNames
      .filter((name) => !Object.hasOwn(own, name))
      .map((name) => [name, (input: unknown) => (requireDomain().handlers[name as keyof DomainHandlers] as (i: unknown) => Promise<unknown>)(input)]),
  ) as DomainHandlers
  const handlers: Handlers = { ...delegated, ...own }

  // The idle lock runs in the core too: a renderer that stopped calling still gets locked.
  const idleTimer = setInterval(() => auth.checkIdle(), 15_000)
  idleTimer.unref()

  return {
    get store() {
      return requireDomain().store
    },
    get device() {
      return requireDomain().device
    },
    auth,
    events,
    handlers,
    dispatch: createDispatcher(handlers, log, (name) => auth.authorize(name)),
    close: async () => {
      clearInterval(idleTimer)
      await auth.close()
      domain = null
    },
  }
}
