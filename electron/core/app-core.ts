import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import type { AuthStatus, Handlers } from '../../shared/api'
import { AppFailure } from '../../shared/errors'
import { schemaVersion } from './db/migrate'
import { openStore, type Store } from './db/open'
import { loadSelfDevice, type Device } from './device'
import { createDispatcher, type Dispatch, type Logger } from './dispatch'
import { EventBus } from './events'
import { getFormVersion } from './forms/get'
import { importForm } from './forms/import'
import { listForms } from './forms/list'
import { createRecordsHandlers } from './records/handlers'
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
}

export type Core = {
  store: Store
  device: Device
  events: EventBus
  handlers: Handlers
  dispatch: Dispatch
  close: () => Promise<void>
}

/** Everything the app does, in plain Node: Electron main and the browser bridge both wrap this. */
export async function createCore(options: CoreOptions): Promise<Core> {
  mkdirSync(options.dataDir, { recursive: true })
  const store = openStore(join(options.dataDir, 'outpost.db'), options.migrationsDir)
  const device = await loadSelfDevice(store)
  const events = new EventBus()
  const sync = createSyncHandlers({ store, device, events, dataDir: options.dataDir, ...(options.keyStore ? { keyStore: options.keyStore } : {}) })

  const notYet = (): Promise<never> =>
    Promise.reject(new AppFailure('unavailable', 'Accounts are not ready in this build yet.'))
  const authStatus = (): Promise<AuthStatus> =>
    Promise.resolve({
      setupDone: false,
      locked: false,
      encrypted: false,
      user: null,
      officeName: null,
      idleLockMinutes: 15,
      recoveryAvailable: false,
    })

  const handlers: Handlers = {
    'auth.status': authStatus,
    'auth.setup': notYet,
    'auth.login': notYet,
    'auth.lock': authStatus,
    'auth.changePassword': notYet,
    'auth.configure': notYet,
    'auth.recoveryInfo': () => Promise.resolve({ deviceId: device.id, sealedKey: null }),
    'auth.recover': notYet,
    'users.list': () => Promise.resolve([]),
    'users.create': notYet,
    'users.update': notYet,
    'app.info': () =>
      Promise.resolve({
        name: 'Outpost' as const,
        version: options.version,
        schemaVersion: schemaVersion(store.sqlite),
        deviceId: device.id,
        shell: options.shell,
      }),
    'settings.get': () => readSettings(store),
    'settings.update': async (patch) => {
      const settings = await updateSettings(store, patch)
      events.emit('settings.changed', settings)
      return settings
    },
    'forms.list': () => listForms(store),
    'forms.get': ({ id, formVersionId }) => getFormVersion(store, id, formVersionId),
    'forms.import': ({ fileName, contentBase64 }) =>
      importForm(store, fileName, new Uint8Array(Buffer.from(contentBase64, 'base64'))),
    ...createRecordsHandlers({ store, device, events, dataDir: options.dataDir }),
    ...sync.handlers,
    ...createPackagesHandlers({ store, device, events, dataDir: options.dataDir, keyStore: options.keyStore, client: sync.client }),
  }

  return {
    store,
    device,
    events,
    handlers,
    dispatch: createDispatcher(handlers, options.log),
    close: async () => {
      // Background sync must be stopped and idle before the database closes under it.
      sync.client.stop()
      await sync.client.idle()
      await store.close()
    },
  }
}
