import { userInfo } from 'node:os'
import { join } from 'node:path'
import type { Handlers } from '../../../shared/api'
import type { Store } from '../db/open'
import type { Device } from '../device'
import type { EventBus } from '../events'
import { SyncClient } from './client'
import { listConflicts, resolveConflict } from './conflicts'
import { enrollDevice } from './enroll'
import type { KeyStore } from './keystore'
import { fileKeyStore } from './keystore'

function osUser(): string {
  try {
    return userInfo().username || 'local'
  } catch {
    return 'local' // some sandboxes have no passwd entry; the device id still identifies the laptop
  }
}

type SyncHandlers = Pick<
  Handlers,
  'sync.status' | 'sync.now' | 'sync.cancel' | 'sync.enroll' | 'sync.conflicts' | 'sync.resolve'
>

export type SyncDeps = {
  store: Store
  device: Device
  events: EventBus
  dataDir: string
  keyStore?: KeyStore
  userId?: string
  autoStart?: boolean
}

/** The sync calls of the contract, over one background client per core. */
export function createSyncHandlers(deps: SyncDeps): { handlers: SyncHandlers; client: SyncClient } {
  const keyStore = deps.keyStore ?? fileKeyStore(join(deps.dataDir, 'device-key.json'))
  const client = new SyncClient({
    store: deps.store,
    device: deps.device,
    dataDir: deps.dataDir,
    keyStore,
    onStatus: (status) => deps.events.emit('sync.progress', status),
  })
  // Background sync from the start when this laptop is enrolled; the timer never keeps the process alive.
  if (deps.autoStart !== false) client.start()
  // The same author as the records calls: the person signed in to the laptop.
  const userId = deps.userId ?? osUser()
  const handlers: SyncHandlers = {
    'sync.status': () => Promise.resolve(client.status()),
    'sync.now': async () => {
      await client.syncNow()
      return client.status()
    },
    'sync.cancel': () => {
      client.cancel()
      return Promise.resolve(client.status())
    },
    'sync.enroll': async (input) => {
      const enrolled = await enrollDevice(deps.store.sqlite, keyStore, input)
      client.start()
      return enrolled
    },
    'sync.conflicts': (input) => Promise.resolve(listConflicts(deps.store.sqlite, input.recordId)),
    'sync.resolve': (input) =>
      Promise.resolve({
        opId: resolveConflict(
          deps.store.sqlite,
          deps.device,
          userId,
          input.conflictId,
          input.value,
        ),
      }),
  }
  return { handlers, client }
}
