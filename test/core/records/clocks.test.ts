import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { loadMigrationFiles, migrate } from '../../../electron/core/db/migrate'
import { Kysely, SqliteDialect } from 'kysely'
import { openSqlite, openStore, type Store } from '../../../electron/core/db/open'
import type { Schema } from '../../../electron/core/db/schema'
import { loadSelfDevice } from '../../../electron/core/device'
import { createRecords, deleteRecord, setFieldValues, setStatus, type Actor } from '../../../electron/core/records/ops'
import { pendingOps, toSyncOp } from '../../../electron/core/sync/local-ops'
import { makeTempDir, migrationsDir } from '../../helpers/paths'
import { createAtOldSchema } from './legacy'

// Migration 0009: a create keeps one '#create' clock instead of one row per key. What sync sends
// for later ops (the base of the key, what a delete had seen) must read exactly as before, for
// records created under the new schema and for records created before it.

const temps: Array<() => void> = []
afterEach(() => temps.splice(0).forEach((cleanup) => cleanup()))

function seed(file: string, target?: number): void {
  const db = openSqlite(file)
  migrate(db, loadMigrationFiles(migrationsDir), target === undefined ? {} : { target })
  db.exec(`INSERT INTO forms (id, form_id, title, created_at, updated_at) VALUES ('f', 'hh', 'H', 1, 1);
    INSERT INTO form_versions (id, form_id, version, title, xform, sha256, created_at) VALUES ('v', 'f', '1', 'H', '<x/>', 'h', 1)`)
  db.close()
}

function storeAtSchema8(file: string): Store {
  const sqlite = openSqlite(file)
  const db = new Kysely<Schema>({ dialect: new SqliteDialect({ database: sqlite }) })
  return { sqlite, db, close: () => db.destroy() }
}

const values = { hh_name: 'Ana', 'odd "path".x': 3, crops: ['maize', 'rice'], nothing: null }

async function scenario(store: Store, actor: Actor, recordId: string) {
  await setFieldValues(store, actor, recordId, [{ path: 'hh_name', value: 'Bea' }])
  await setFieldValues(store, actor, recordId, [{ path: 'new_field', value: 'x' }])
  await setFieldValues(store, actor, recordId, [{ path: 'odd "path".x', value: 4 }])
  await setStatus(store, actor, recordId, 'complete')
  await deleteRecord(store, actor, recordId)
  return pendingOps(store.sqlite, actor.device.id, 0, 100).map(toSyncOp)
}

function expectSameAsPerKeyClocks(ops: ReturnType<typeof toSyncOp>[]) {
  const [create, name, added, odd, status, del] = ops
  if (!create || !name || !added || !odd || !status || !del) throw new Error('missing ops')
  expect(ops.map((op) => op.kind)).toEqual(['create', 'set', 'set', 'set', 'status', 'delete'])
  expect(create).toMatchObject({ baseHlc: null, seen: {}, resolves: [] })
  // A key the create wrote: its base is the create; a key it did not write has none.
  expect(name.baseHlc).toBe(create.hlc)
  expect(added.baseHlc).toBeNull()
  expect(odd.baseHlc).toBe(create.hlc)
  expect(status.baseHlc).toBe(create.hlc)
  for (const op of [name, added, odd, status]) expect(op.seen).toEqual({})
  // A delete had seen every key: the create's for the keys nobody changed since.
  expect(del.seen).toEqual({
    hh_name: name.hlc,
    'odd "path".x': odd.hlc,
    crops: create.hlc,
    nothing: create.hlc,
    new_field: added.hlc,
    '#status': status.hlc,
    '#instanceName': create.hlc,
  })
}

describe('sync clocks of a create (migration 0009)', () => {
  it('keeps one clock row per created record and reads every key of it as before', async () => {
    const { dir, cleanup } = makeTempDir()
    temps.push(cleanup)
    const file = join(dir, 'fresh.db')
    seed(file)
    const store = openStore(file, migrationsDir)
    try {
      const actor: Actor = { device: await loadSelfDevice(store), userId: 'u' }
      const [id] = await createRecords(store, actor, [{ formVersionId: 'v', values, instanceName: 'Ana' }])
      if (!id) throw new Error('no record')
      expect(store.sqlite.prepare('SELECT key FROM sync_field_clocks').all()).toEqual([{ key: '#create' }])
      expect(store.sqlite.prepare('SELECT count(*) AS n FROM sync_op_meta').get()).toEqual({ n: 0 })
      expectSameAsPerKeyClocks(await scenario(store, actor, id))
    } finally {
      await store.close()
    }
  })

  it('reads records created before the migration the same way after it', async () => {
    const { dir, cleanup } = makeTempDir()
    temps.push(cleanup)
    const file = join(dir, 'old.db')
    seed(file, 8)
    // Created under schema 8: one clock row per key (4 fields, status, name).
    const store = storeAtSchema8(file)
    const actor: Actor = { device: await loadSelfDevice(store), userId: 'u' }
    const id = createAtOldSchema(store.sqlite, actor.device, 'u', values, 'Ana')
    expect((store.sqlite.prepare('SELECT count(*) AS n FROM sync_field_clocks').get() as { n: number }).n).toBe(6)
    await store.close()
    const upgraded = openStore(file, migrationsDir)
    try {
      expectSameAsPerKeyClocks(await scenario(upgraded, actor, id))
    } finally {
      await upgraded.close()
    }
  })
})
