import Database from 'better-sqlite3'
import { Kysely, SqliteDialect } from 'kysely'
import type { Schema } from '../../../electron/core/db/schema'
import { openStore, type Store } from '../../../electron/core/db/open'
import { loadSelfDevice, type Device } from '../../../electron/core/device'
import {
  createRecord,
  deleteRecord,
  restoreRecord,
  setFieldValues,
  type Actor,
} from '../../../electron/core/records/ops'
import { SyncClient } from '../../../electron/core/sync/client'
import { listConflicts, resolveConflict } from '../../../electron/core/sync/conflicts'
import { writeState } from '../../../electron/core/sync/state'
import { migrationsDir } from '../../helpers/paths'
import type { FaultMode } from './fake-registry'
import type { RegistrySnapshot } from './property-check'
import type { Fetch } from '../../../electron/core/sync/transport'

/** A small seeded generator (mulberry32): an interleaving is reproduced from its seed. */
export function random(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

let template: Buffer | undefined
/** A migrated empty store, copied in memory: 3,000 stores cost what one migration does. */
function freshStore(): Store {
  if (!template) {
    const store = openStore(':memory:', migrationsDir)
    template = store.sqlite.serialize()
    store.sqlite.close()
  }
  const sqlite = new Database(template)
  sqlite.pragma('foreign_keys = ON')
  const db = new Kysely<Schema>({ dialect: new SqliteDialect({ database: sqlite }) })
  return { sqlite, db, close: () => db.destroy() }
}

export type Replica = {
  name: string
  store: Store
  device: Device
  client: SyncClient
  actor: Actor
}
/** Which op ids of the record its author held when it made each op. */
export type Knowledge = Map<string, Set<string>>

/** The registry side of the property test: the in-memory merge, or the real server in process. */
export type PropertyRegistry = {
  next: FaultMode
  fetch: Fetch
  formVersionId: string
  /** The token of a new laptop (enrolling it where the registry needs that). */
  enroll: (deviceId: string) => Promise<string>
  snapshot: (records: readonly string[]) => Promise<RegistrySnapshot>
  close: () => Promise<void>
}

export async function makeReplicas(registry: PropertyRegistry, count: number): Promise<Replica[]> {
  const replicas: Replica[] = []
  for (let i = 0; i < count; i++) {
    const store = freshStore()
    const device = await loadSelfDevice(store)
    writeState(store.sqlite, 'registry_url', 'http://registry.invalid')
    const token = await registry.enroll(device.id)
    const client = new SyncClient({
      store,
      device,
      dataDir: '/nonexistent',
      keyStore: {
        load: () => Promise.resolve({ privateKeyPem: '', publicKey: '', token }),
        save: () => Promise.resolve(),
      },
      fetch: registry.fetch,
      limits: { maxOps: 3, maxBytes: 64 * 1024 },
      pageSize: 50,
    })
    replicas.push({ name: `d${i}`, store, device, client, actor: { device, userId: `user${i}` } })
  }
  return replicas
}

const opsOf = (replica: Replica, recordId: string): Set<string> =>
  new Set(
    (
      replica.store.sqlite
        .prepare('SELECT id FROM record_ops WHERE record_id = ?')
        .all(recordId) as { id: string }[]
    ).map((r) => r.id),
  )

export type Step = { kind: string; replica: number; detail?: string }

/** One random step; returns a description for the failure report. */
export async function randomStep(
  next: () => number,
  registry: PropertyRegistry,
  replicas: Replica[],
  records: string[],
  knowledge: Knowledge,
  made: string[],
): Promise<Step> {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T
  const r = Math.floor(next() * replicas.length)
  const replica = replicas[r] as Replica
  const recordId = pick(records)
  const roll = next()
  const note = async (run: () => Promise<{ id: string }[]>): Promise<void> => {
    const before = opsOf(replica, recordId)
    try {
      for (const op of await run()) {
        knowledge.set(op.id, before)
        made.push(op.id)
      }
    } catch {
      // Refused locally (editing a deleted record, restoring a live one): not an op, nothing to sync.
    }
  }
  const has =
    replica.store.sqlite.prepare('SELECT 1 FROM records WHERE id = ?').get(recordId) !== undefined
  if (roll < 0.45 && has) {
    const field = pick(['name', 'age'])
    const value = field === 'age' ? Math.floor(next() * 3) : pick(['a', 'b', 'c'])
    await note(() =>
      setFieldValues(replica.store, replica.actor, recordId, [{ path: field, value }]),
    )
    return { kind: 'edit', replica: r, detail: `${field}=${String(value)}` }
  }
  if (roll < 0.55 && has) {
    await note(() => deleteRecord(replica.store, replica.actor, recordId))
    return { kind: 'delete', replica: r }
  }
  if (roll < 0.62 && has) {
    await note(() => restoreRecord(replica.store, replica.actor, recordId))
    return { kind: 'restore', replica: r }
  }
  if (roll < 0.7) {
    const open = listConflicts(replica.store.sqlite).filter((c) => records.includes(c.recordId))
    const conflict = open[0]
    if (conflict) {
      const value = conflict.fieldPath.startsWith('#deleted')
        ? next() < 0.5
        : pick([conflict.a.value, conflict.b.value, 'typed'])
      const before = opsOf(replica, conflict.recordId)
      const id = resolveConflict(
        replica.store.sqlite,
        replica.device,
        replica.actor.userId,
        conflict.id,
        value,
      )
      knowledge.set(id, before)
      made.push(id)
      return { kind: 'resolve', replica: r }
    }
  }
  const fault: FaultMode = pick(['ok', 'ok', 'cut', 'drop', 'dup'])
  registry.next = fault
  await replica.client.syncNow()
  return { kind: 'sync', replica: r, detail: fault }
}

export async function createRecords(
  replica: Replica,
  formVersionId: string,
  count: number,
  knowledge: Knowledge,
  made: string[],
): Promise<string[]> {
  const ids: string[] = []
  for (let i = 0; i < count; i++) {
    const { id, ops } = await createRecord(replica.store, replica.actor, formVersionId, {
      name: 'start',
      age: 0,
    })
    for (const op of ops) {
      knowledge.set(op.id, new Set())
      made.push(op.id)
    }
    ids.push(id)
  }
  return ids
}
