import { userInfo } from 'node:os'
import { join } from 'node:path'
import type Database from 'better-sqlite3'
import type { Handlers, SyncRecordRef, SyncRejection } from '../../../shared/api'
import { AppFailure } from '../../../shared/errors'
import type { Store } from '../db/open'
import type { Device } from '../device'
import type { EventBus } from '../events'
import { SyncClient } from './client'
import { listConflicts, resolveConflict } from './conflicts'
import { enrollDevice } from './enroll'
import type { KeyStore } from './keystore'
import { fileKeyStore } from './keystore'
import { readState } from './state'
import { stmt } from './statements'

function osUser(): string {
  try {
    return userInfo().username || 'local'
  } catch {
    return 'local' // some sandboxes have no passwd entry; the device id still identifies the laptop
  }
}

type SyncHandlers = Pick<
  Handlers,
  | 'sync.status'
  | 'sync.now'
  | 'sync.cancel'
  | 'sync.enroll'
  | 'sync.conflicts'
  | 'sync.rejections'
  | 'sync.resolve'
>

type RecordRefRow = {
  form_id: string
  form_version_id: string
  form_title: string
  instance_name: string | null
}

/** The record a conflict or a refusal is about, named as the screens show it. */
function recordRef(sqlite: Database.Database, recordId: string): SyncRecordRef | null {
  const row = stmt(
    sqlite,
    `SELECT r.form_id, r.form_version_id, f.title AS form_title, r.instance_name
       FROM records r JOIN forms f ON f.id = r.form_id WHERE r.id = ?`,
  ).get(recordId) as RecordRefRow | undefined
  return row
    ? {
        formId: row.form_id,
        formVersionId: row.form_version_id,
        formTitle: row.form_title,
        name: row.instance_name,
      }
    : null
}

/** Records the registry refused, one line per record with the reason of its latest refusal. */
function listRejections(sqlite: Database.Database): SyncRejection[] {
  // SQLite takes the bare columns of an aggregate query from the row holding max(): the latest refusal.
  const rows = stmt(
    sqlite,
    `SELECT record_id, count(*) AS ops, code, message, max(rejected_at) AS rejected_at
       FROM sync_rejections GROUP BY record_id ORDER BY rejected_at DESC LIMIT 500`,
  ).all() as {
    record_id: string
    ops: number
    code: string
    message: string
    rejected_at: number
  }[]
  return rows.map((row) => ({
    recordId: row.record_id,
    ops: row.ops,
    code: row.code,
    message: row.message,
    rejectedAt: row.rejected_at,
    record: recordRef(sqlite, row.record_id),
  }))
}

/** Enrolls once: a second enrollment would orphan the ops the registry knows under this device. */
async function enrollOnce(
  sqlite: Database.Database,
  keyStore: KeyStore,
  input: { registryUrl: string; code: string; deviceName: string },
): Promise<{ deviceId: string; officeId: string }> {
  const current = readState(sqlite, 'registry_url')
  if (current)
    throw new AppFailure(
      'conflict',
      `This laptop is already enrolled with the registry at ${current}. Its data keeps syncing there; nothing was changed.`,
    )
  try {
    return await enrollDevice(sqlite, keyStore, input)
  } catch (error) {
    if (error instanceof AppFailure) throw error
    // An answer that is not the registry's JSON: something else listens at that address.
    throw new AppFailure(
      'validation',
      'Something answered at that address, but it is not an Outpost registry. Check the address HQ gave you.',
    )
  }
}

export type SyncDeps = {
  store: Store
  device: Device
  events: EventBus
  dataDir: string
  keyStore?: KeyStore
  /** The signed-in user, read at each call (the core's session). */
  userId?: string | (() => string)
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
  const userId = (): string =>
    (typeof deps.userId === 'function' ? deps.userId() : deps.userId) ?? osUser()
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
      const enrolled = await enrollOnce(deps.store.sqlite, keyStore, input)
      client.start()
      return enrolled
    },
    'sync.conflicts': (input) =>
      Promise.resolve(
        listConflicts(deps.store.sqlite, input.recordId).map((conflict) => ({
          ...conflict,
          record: recordRef(deps.store.sqlite, conflict.recordId),
        })),
      ),
    'sync.rejections': () => Promise.resolve(listRejections(deps.store.sqlite)),
    'sync.resolve': (input) =>
      Promise.resolve({
        opId: resolveConflict(
          deps.store.sqlite,
          deps.device,
          userId(),
          input.conflictId,
          input.value,
        ),
      }),
  }
  return { handlers, client }
}
