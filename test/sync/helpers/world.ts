import { randomBytes } from 'node:crypto'
import { join } from 'node:path'
import type { RegistryConfig } from '../../../registry/config'
import { createEnrollmentCode } from '../../../registry/domain/devices'
import { openStore, type Store } from '../../../electron/core/db/open'
import { loadSelfDevice, type Device } from '../../../electron/core/device'
import { setAttachmentKey } from '../../../electron/core/records/attachments'
import {
  createRecord,
  deleteRecord,
  restoreRecord,
  setFieldValues,
  type Actor,
} from '../../../electron/core/records/ops'
import type { SyncClientOptions } from '../../../electron/core/sync/client'
import { SyncClient } from '../../../electron/core/sync/client'
import { enrollDevice } from '../../../electron/core/sync/enroll'
import { fileKeyStore } from '../../../electron/core/sync/keystore'
import { makeTempDir, migrationsDir } from '../../helpers/paths'
import type { TestCluster } from '../../registry/helpers/postgres'
import { startPostgres } from '../../registry/helpers/postgres'
import type { TestRegistry } from '../../registry/helpers/harness'
import {
  makeOffice,
  signIn,
  startTestRegistry,
  system,
  testConfig,
} from '../../registry/helpers/harness'
import { publishForm } from '../../registry/helpers/world'
import type { Proxy } from './proxy'
import { startProxy } from './proxy'

export type Laptop = {
  name: string
  dir: string
  store: Store
  device: Device
  client: SyncClient
  actor: Actor
  /** Syncs once and throws the error the run ended with, if any. */
  sync: () => Promise<void>
  create: (values: Record<string, unknown>) => Promise<string>
  set: (recordId: string, changes: Record<string, unknown>) => Promise<void>
  remove: (recordId: string) => Promise<void>
  restore: (recordId: string) => Promise<void>
  reopen: (options?: Partial<SyncClientOptions>) => Promise<void>
  close: () => Promise<void>
}

export type World = {
  registry: TestRegistry
  proxy: Proxy
  officeId: string
  formVersionId: string
  hqToken: string
  laptop: (name: string, options?: LaptopOptions, officeId?: string) => Promise<Laptop>
  registryDataDir: string | null
  /** The registry's PostgreSQL database (null on PGlite), for a registry in another process. */
  registryDatabaseUrl: string | null
  /** Stops the registry and starts it again on the same database (and the same proxy). */
  restartRegistry: (whileDown?: () => Promise<void> | void) => Promise<void>
  close: () => Promise<void>
}

export type WorldOptions = {
  backend?: 'pglite' | 'postgres'
  dataDir?: string
  cluster?: TestCluster
}
export type LaptopOptions = Partial<SyncClientOptions> & { clockOffsetMs?: number }

export async function makeWorld(options: WorldOptions = {}): Promise<World> {
  const temp = makeTempDir('outpost-sync-')
  let cluster = options.cluster
  const ownCluster = options.backend === 'postgres' && !cluster
  if (ownCluster) cluster = await startPostgres()
  const database: RegistryConfig['database'] = cluster
    ? { databaseUrl: await cluster.createDatabase() }
    : { dataDir: options.dataDir ?? join(temp.dir, 'registry') }
  const config = testConfig(database, { jsonBodyLimit: 16 * 1024 * 1024 })
  let registry = await startTestRegistry(config)
  const proxy = await startProxy(Number(new URL(registry.url).port))
  const office = await makeOffice(registry.db)
  const formVersionId = await publishForm(registry, [office.id])
  const hqToken = await signIn(registry, 'data_manager')
  const laptops: Laptop[] = []
  const world: World = {
    get registry() {
      return registry
    },
    proxy,
    registryDataDir: 'dataDir' in database ? database.dataDir : null,
    registryDatabaseUrl: 'databaseUrl' in database ? database.databaseUrl : null,
    officeId: office.id,
    formVersionId,
    hqToken,
    laptop: async (name, clientOptions = {}, officeId = office.id) => {
      const laptop = await makeLaptop(world, name, officeId, clientOptions)
      laptops.push(laptop)
      return laptop
    },
    restartRegistry: async (whileDown) => {
      await registry.close()
      await whileDown?.()
      registry = await startTestRegistry(config)
      proxy.retarget(Number(new URL(registry.url).port))
    },
    close: async () => {
      for (const laptop of laptops) await laptop.close()
      await proxy.close()
      await registry.close()
      if (ownCluster) cluster?.stop()
      temp.cleanup()
    },
  }
  return world
}

async function makeLaptop(
  world: World,
  name: string,
  officeId: string,
  clientOptions: LaptopOptions,
): Promise<Laptop> {
  const offset = clientOptions.clockOffsetMs ?? 0
  const now = (): number => Date.now() + offset
  const temp = makeTempDir(`outpost-${name}-`)
  const keyStore = fileKeyStore(join(temp.dir, 'device-key.json'))
  // Attachment files are encrypted with the folder's key, as in the app (the store stays plain here).
  setAttachmentKey(temp.dir, randomBytes(32))
  let store = openStore(join(temp.dir, 'outpost.db'), migrationsDir)
  let device = await loadSelfDevice(store, now)
  const makeClient = (options: Partial<SyncClientOptions>): SyncClient =>
    new SyncClient({
      store,
      device,
      dataDir: temp.dir,
      keyStore,
      now,
      limits: { maxOps: 50, maxBytes: 64 * 1024 },
      pageSize: 50,
      ...clientOptions,
      ...options,
    })
  const { code } = await createEnrollmentCode(world.registry.db, system, { office: officeId })
  await enrollDevice(store.sqlite, keyStore, {
    registryUrl: world.proxy.url,
    code,
    deviceName: name,
  })
  const laptop: Laptop = {
    name,
    dir: temp.dir,
    store,
    device,
    client: makeClient({}),
    actor: { device, userId: `${name}-user`, now },
    sync: async () => {
      await laptop.client.syncNow()
      const error = laptop.client.status().lastError
      if (error) throw new Error(`${name}: ${error.code}: ${error.message}`)
    },
    create: async (values) =>
      (await createRecord(store, laptop.actor, world.formVersionId, values)).id,
    set: async (recordId, changes) => {
      await setFieldValues(
        store,
        laptop.actor,
        recordId,
        Object.entries(changes).map(([path, value]) => ({ path, value })),
      )
    },
    remove: async (recordId) => {
      await deleteRecord(store, laptop.actor, recordId)
    },
    restore: async (recordId) => {
      await restoreRecord(store, laptop.actor, recordId)
    },
    reopen: async (options = {}) => {
      laptop.client.stop()
      await laptop.client.idle()
      await store.close()
      store = openStore(join(temp.dir, 'outpost.db'), migrationsDir)
      device = await loadSelfDevice(store, now)
      Object.assign(laptop, { store, device, actor: { device, userId: `${name}-user`, now } })
      laptop.client = makeClient(options)
    },
    close: async () => {
      laptop.client.stop()
      await laptop.client.idle()
      await store.close()
      temp.cleanup()
    },
  }
  await laptop.sync() // the form published to the office arrives with the first pull
  return laptop
}
