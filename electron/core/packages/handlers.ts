import { join } from 'node:path'
import type { Handlers } from '../../../shared/api'
import type { Store } from '../db/open'
import type { Device } from '../device'
import type { EventBus } from '../events'
import type { SyncClient } from '../sync/client'
import type { KeyStore } from '../sync/keystore'
import { fileKeyStore } from '../sync/keystore'
import { readState } from '../sync/state'
import { exportPackage } from './export'
import type { ImportDeps } from './import'
import { importPackage, inspectPackage } from './import'
import { loadDeviceKeys, readEnrollment } from './keys'
import { indexWhenIdle } from '../records/index-backlog'

type PackagesHandlers = Pick<Handlers, 'packages.export' | 'packages.inspect' | 'packages.import'>

export type PackagesDeps = {
  store: Store
  device: Device
  events: EventBus
  dataDir: string
  keyStore?: KeyStore | undefined
  /** Background sync pauses while a package applies, so the two never move the cursors at once. */
  client?: SyncClient
  now?: () => number
}

/** The packages calls of the contract (docs/packages.md). */
export function createPackagesHandlers(deps: PackagesDeps): PackagesHandlers {
  const keyStore = deps.keyStore ?? fileKeyStore(join(deps.dataDir, 'device-key.json'))
  const now = deps.now ?? Date.now
  const importDeps = (): ImportDeps => ({
    sqlite: deps.store.sqlite,
    selfId: deps.device.id,
    clock: deps.device.clock,
    dataDir: deps.dataDir,
    keyStore,
    now,
    progress: (progress) => deps.events.emit('packages.progress', progress),
  })
  return {
    'packages.export': async (input) =>
      exportPackage(
        {
          sqlite: deps.store.sqlite,
          selfId: deps.device.id,
          dataDir: deps.dataDir,
          enrollment: readEnrollment(deps.store.sqlite),
          keys: await loadDeviceKeys(keyStore),
          now,
        },
        input,
        (progress) => deps.events.emit('packages.progress', progress),
      ),
    'packages.inspect': (input) => inspectPackage(importDeps(), input.path),
    'packages.import': async (input) => {
      const client = deps.client
      client?.stop()
      await client?.idle()
      try {
        return await importPackage(importDeps(), input.path)
      } finally {
        // The package's records wait in the search backlog; the core indexes them when idle.
        indexWhenIdle(deps.store)
        if (client && readState(deps.store.sqlite, 'registry_url')) client.start()
      }
    },
  }
}
