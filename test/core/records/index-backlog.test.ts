import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { recordsListInputSchema, recordsSearchInputSchema } from '../../../shared/api'
import { openStore, type Store } from '../../../electron/core/db/open'
import { loadSelfDevice } from '../../../electron/core/device'
import { backlogSize, bulkCreate, indexBacklog, indexSlice, indexWhenIdle } from '../../../electron/core/records/index-backlog'
import { indexInsertedRecords } from '../../../electron/core/records/index-batch'
import { listRecords, searchRecords } from '../../../electron/core/records/list'
import { createRecord, createRecords, deleteRecord, setFieldValues, type Actor } from '../../../electron/core/records/ops'
import { makeTempDir, migrationsDir } from '../../helpers/paths'

let temp: ReturnType<typeof makeTempDir>
let store: Store
let actor: Actor

async function open(): Promise<Store> {
  const opened = openStore(join(temp.dir, 'outpost.db'), migrationsDir)
  actor = { device: await loadSelfDevice(opened), userId: 'clerk' }
  return opened
}

beforeEach(async () => {
  temp = makeTempDir('outpost-index-backlog-')
  store = await open()
  const now = Date.now()
  await store.db.insertInto('forms').values({ id: 'f', form_id: 'hh', title: 'HH', created_at: now, updated_at: now }).execute()
  await store.db.insertInto('form_versions').values({ id: 'v', form_id: 'f', version: '1', title: 'HH', xform: '<x/>', source_name: null, sha256: 'h', created_at: now }).execute()
})
afterEach(async () => {
  if (store.sqlite.open) await store.close()
  temp.cleanup()
})

/** A bulk create: `bulkCreate` households, the i-th in district `d<i % 3>`, one named `name`. */
async function bulk(name: string, district = 'Kasese'): Promise<string[]> {
  const inputs = Array.from({ length: bulkCreate }, (_, i) => ({
    formVersionId: 'v',
    values: i === 7 ? { hh_name: name, district, crops: ['maize', 'rice'] } : { hh_name: `filler ${i}`, district: `d${i % 3}` },
    instanceName: `hh ${i}`,
  }))
  return createRecords(store, actor, inputs)
}

const search = (query: string) => searchRecords(store, recordsSearchInputSchema.parse({ query, formId: 'f' }))
const filter = (path: string, value: string) => listRecords(store, recordsListInputSchema.parse({ formId: 'f', filter: { question: { path, value } } }))
/** Rids in the full-text index (contentless: its docsize table lists them). */
const indexedRids = () => (store.sqlite.prepare('SELECT id FROM records_fts_docsize ORDER BY id').all() as { id: number }[]).map((r) => r.id)
const integrity = () => {
  store.sqlite.exec("INSERT INTO records_fts (records_fts) VALUES ('integrity-check')")
  store.sqlite.exec("INSERT INTO records_answers (records_answers) VALUES ('integrity-check')")
}

describe('bulk creates indexed after their commit', () => {
  it('acknowledges a bulk create before indexing it, and search finds its records all the same', async () => {
    const ids = await bulk('Nakato Achieng')
    expect(backlogSize(store.sqlite)).toBe(bulkCreate)
    expect(indexedRids()).toEqual([])
    const found = await search('nakato')
    expect(found.rows.map((r) => r.id)).toEqual([ids[7]])
    expect(backlogSize(store.sqlite)).toBe(0)
    expect(indexedRids()).toHaveLength(bulkCreate)
    integrity()
  })

  it('finds a not yet indexed record by the question filter, a top-level answer and a choice', async () => {
    const ids = await bulk('Nakato', 'Bundibugyo')
    expect(backlogSize(store.sqlite)).toBe(bulkCreate)
    expect((await filter('district', 'Bundibugyo')).rows.map((r) => r.id)).toEqual([ids[7]])
    expect((await filter('crops', 'rice')).rows.map((r) => r.id)).toEqual([ids[7]])
    expect((await filter('district', 'd1')).total).toBe(32) // i % 3 = 1 but the 7th
  })

  it('indexes a few records at once and leaves no backlog', async () => {
    await createRecords(store, actor, [{ formVersionId: 'v', values: { hh_name: 'Okello' } }])
    await createRecord(store, actor, 'v', { hh_name: 'Okot' })
    expect(backlogSize(store.sqlite)).toBe(0)
    expect(indexedRids()).toHaveLength(2)
  })

  it('indexes the backlog in idle time, in slices, without a read', async () => {
    await bulk('Nakato')
    await bulk('Achieng')
    expect(backlogSize(store.sqlite)).toBe(2 * bulkCreate)
    // Consecutive bulk creates extend one range.
    expect(store.sqlite.prepare('SELECT count(*) AS n FROM records_unindexed').get()).toEqual({ n: 1 })
    expect(indexSlice(store.sqlite, 30)).toBe(30)
    expect(backlogSize(store.sqlite)).toBe(2 * bulkCreate - 30)
    for (let turn = 0; turn < 20 && backlogSize(store.sqlite) > 0; turn++) await new Promise((resolve) => setImmediate(resolve))
    expect(backlogSize(store.sqlite)).toBe(0)
    expect(indexedRids()).toHaveLength(2 * bulkCreate)
    integrity()
  })

  it('indexes a slice larger than one read (a thousand rows) whole, and only that slice', async () => {
    const inputs = Array.from({ length: 2_500 }, (_, i) => ({ formVersionId: 'v', values: { hh_name: `person${i}` } }))
    await createRecords(store, actor, inputs)
    expect(indexSlice(store.sqlite, 2_200)).toBe(2_200)
    expect(indexedRids()).toEqual(Array.from({ length: 2_200 }, (_, i) => i + 1))
    expect(backlogSize(store.sqlite)).toBe(300)
    expect((await search('person2499')).rows).toHaveLength(1)
    expect(indexedRids()).toHaveLength(2_500)
    integrity()
  })

  it('indexes an edited record as it is now, once, and forgets its old words', async () => {
    const ids = await bulk('Nakato')
    const id = ids[7] ?? ''
    await setFieldValues(store, actor, id, [{ path: 'hh_name', value: 'Wanjiru' }, { path: 'district', value: 'Bundibugyo' }])
    expect(backlogSize(store.sqlite)).toBe(bulkCreate)
    // The edit left the indexes to the backlog (migration 0012's triggers), not indexed it twice.
    expect(indexedRids()).toEqual([])
    expect((await search('nakato')).rows).toEqual([])
    expect((await search('wanjiru')).rows.map((r) => r.id)).toEqual([id])
    expect((await filter('district', 'Bundibugyo')).rows.map((r) => r.id)).toEqual([id])
    expect((await filter('district', 'Kasese')).rows).toEqual([])
    expect(indexedRids()).toHaveLength(bulkCreate)
    integrity()
    // Edits after indexing go through the triggers as before.
    await setFieldValues(store, actor, id, [{ path: 'hh_name', value: 'Nabirye' }])
    expect((await search('wanjiru')).rows).toEqual([])
    expect((await search('nabirye')).rows.map((r) => r.id)).toEqual([id])
    integrity()
  })

  it('leaves a deleted not yet indexed record out of search and the filter', async () => {
    const ids = await bulk('Nakato', 'Bundibugyo')
    await deleteRecord(store, actor, ids[7] ?? '')
    expect((await search('nakato')).rows).toEqual([])
    expect((await filter('district', 'Bundibugyo')).rows).toEqual([])
    integrity()
  })

  it('keeps a hard-deleted waiting record out of both indexes', async () => {
    const ids = await bulk('Nakato')
    store.sqlite.pragma('foreign_keys = OFF') // record_ops keeps its history: test the trigger alone
    store.sqlite.prepare('DELETE FROM records WHERE id = ?').run(ids[7])
    expect(indexBacklog(store.sqlite)).toBe(bulkCreate)
    expect(indexedRids()).toHaveLength(bulkCreate - 1)
    integrity()
  })

  it('never indexes a waiting record twice when another writer indexes its rids (sync)', async () => {
    await bulk('Nakato')
    indexInsertedRecords(store.sqlite, 1, bulkCreate)
    expect(indexedRids()).toEqual([])
    indexBacklog(store.sqlite)
    expect(indexedRids()).toHaveLength(bulkCreate)
    integrity()
  })

  it('keeps the backlog across a close (a crash or a quit) and indexes it on the next open', async () => {
    const ids = await bulk('Nakato')
    // Closed before the idle indexing could run: the range committed with the records.
    await store.close()
    store = await open()
    expect(backlogSize(store.sqlite)).toBe(bulkCreate)
    indexWhenIdle(store)
    for (let turn = 0; turn < 10 && backlogSize(store.sqlite) > 0; turn++) await new Promise((resolve) => setImmediate(resolve))
    expect(backlogSize(store.sqlite)).toBe(0)
    expect((await search('nakato')).rows.map((r) => r.id)).toEqual([ids[7]])
    integrity()
  })
})
