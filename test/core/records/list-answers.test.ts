import { join } from 'node:path'
import { Kysely, SqliteDialect } from 'kysely'
import { afterEach, describe, expect, it } from 'vitest'
import { loadMigrationFiles, migrate } from '../../../electron/core/db/migrate'
import { openSqlite, openStore, type Store } from '../../../electron/core/db/open'
import type { Schema } from '../../../electron/core/db/schema'
import { loadSelfDevice } from '../../../electron/core/device'
import { denseAnswers, listRecords, searchRecords } from '../../../electron/core/records/list'
import { createRecords, deleteRecord, setFieldValues, type Actor } from '../../../electron/core/records/ops'
import { recordsListInputSchema, recordsSearchInputSchema, type RecordsListInput } from '../../../shared/api'
import { makeTempDir, migrationsDir } from '../../helpers/paths'
import { createAtOldSchema } from './legacy'

// The question filter reads candidates from the answers index (migration 0009) and checks each
// row's JSON. Whatever the plan, it must find exactly what a scan of every record finds.

const temps: Array<() => void> = []
afterEach(() => temps.splice(0).forEach((cleanup) => cleanup()))

function seed(file: string, target?: number): void {
  const db = openSqlite(file)
  migrate(db, loadMigrationFiles(migrationsDir), target === undefined ? {} : { target })
  db.exec(`INSERT INTO forms (id, form_id, title, created_at, updated_at) VALUES ('f', 'hh', 'H', 1, 1);
    INSERT INTO form_versions (id, form_id, version, title, xform, sha256, created_at) VALUES ('v', 'f', '1', 'H', '<x/>', 'h', 1)`)
  db.close()
}

async function freshStore(): Promise<{ store: Store; actor: Actor }> {
  const { dir, cleanup } = makeTempDir()
  temps.push(cleanup)
  const file = join(dir, 'a.db')
  seed(file)
  const store = openStore(file, migrationsDir)
  temps.push(() => void store.close())
  return { store, actor: { device: await loadSelfDevice(store), userId: 'u' } }
}

const long = 'x'.repeat(80)
const sample = (i: number): Record<string, unknown> => ({
  district: ['Gulu', 'São Tomé', 'Lira'][i % 3],
  'group/odd.name-é': i % 4 === 0 ? 'yes' : 'no',
  crops: i % 2 === 0 ? ['maize', 'beans'] : ['rice'],
  size: i % 7,
  ratio: (i % 5) / 2,
  consent: i % 3 === 0,
  note: i % 10 === 0 ? long : 'short',
  empty: i % 6 === 0 ? null : 'set',
})

type Question = { path: string; value: string | number | boolean | null }
const questions: Question[] = [
  { path: 'district', value: 'São Tomé' },
  { path: 'district', value: 'Nowhere' },
  { path: 'group/odd.name-é', value: 'yes' },
  { path: 'crops', value: 'beans' },
  { path: 'crops', value: 'rice' },
  { path: 'size', value: 3 },
  { path: 'size', value: '3' },
  { path: 'ratio', value: 1.5 },
  { path: 'consent', value: true },
  { path: 'consent', value: false },
  { path: 'note', value: long },
  { path: 'empty', value: null },
]

/** What a scan of every live record finds, in list order (updated desc, rid desc). */
async function scan(store: Store, q: Question): Promise<string[]> {
  const rows = await store.db.selectFrom('records').select(['id', 'values_json']).where('deleted_at', 'is', null).orderBy('updated_at', 'desc').orderBy('rid', 'desc').execute()
  return rows
    .filter((r) => {
      const v = (JSON.parse(r.values_json) as Record<string, unknown>)[q.path]
      if (q.value === null) return v === null || v === undefined
      const want = typeof q.value === 'boolean' ? q.value : q.value
      return Array.isArray(v) ? v.includes(want) : v === want
    })
    .map((r) => r.id)
}

async function listIds(store: Store, q: Question, extra: Partial<RecordsListInput> = {}): Promise<string[]> {
  const page = await listRecords(store, recordsListInputSchema.parse({ formId: 'f', limit: 500, filter: { question: q }, ...extra }))
  return page.rows.map((r) => r.id)
}

describe('question filter through the answers index', () => {
  it('finds what a scan finds for text, choices, numbers, booleans, long and missing answers, after edits and deletes', async () => {
    const { store, actor } = await freshStore()
    const ids = await createRecords(store, actor, Array.from({ length: 60 }, (_, i) => ({ formVersionId: 'v', values: sample(i) })))
    // An edit moves the record to its new answer; a delete takes it out.
    await setFieldValues(store, actor, ids[1] ?? '', [{ path: 'district', value: 'São Tomé' }])
    await setFieldValues(store, actor, ids[4] ?? '', [{ path: 'crops', value: ['beans'] }])
    await deleteRecord(store, actor, ids[7] ?? '')
    for (const q of questions) {
      const expected = await scan(store, q)
      expect(await listIds(store, q), JSON.stringify(q)).toEqual(expected)
    }
    expect(await scan(store, { path: 'district', value: 'São Tomé' })).toContain(ids[1])
    expect(await scan(store, { path: 'crops', value: 'maize' })).not.toContain(ids[4])
  })

  it('finds the same rows when an answer is too common to read as candidates', async () => {
    const { store, actor } = await freshStore()
    const count = denseAnswers + 300
    for (let i = 0; i < count; i += 1000) {
      await createRecords(store, actor, Array.from({ length: Math.min(1000, count - i) }, (_, k) => ({ formVersionId: 'v', values: { district: 'Gulu', n: i + k, rare: (i + k) % 997 === 0 ? 'yes' : 'no' } })))
    }
    const q = { path: 'district', value: 'Gulu' }
    expect((await listIds(store, q)).slice(0, 100)).toEqual((await scan(store, q)).slice(0, 100))
    // Counted from the candidates (a dense answer's page walks the list; its count does not).
    const all = await listRecords(store, recordsListInputSchema.parse({ formId: 'f', limit: 10, filter: { question: q } }))
    expect(all).toMatchObject({ total: 1000, totalIsLowerBound: true })
    const page = await listRecords(store, recordsListInputSchema.parse({ formId: 'f', filter: { question: { path: 'rare', value: 'yes' } } }))
    expect(page.total).toBe(Math.floor((count - 1) / 997) + 1)
  }, 60_000)

  it('indexes the answers of records created before the migration', async () => {
    const { dir, cleanup } = makeTempDir()
    temps.push(cleanup)
    const file = join(dir, 'old.db')
    seed(file, 8)
    const sqlite = openSqlite(file)
    const db = new Kysely<Schema>({ dialect: new SqliteDialect({ database: sqlite }) })
    const old: Store = { sqlite, db, close: () => db.destroy() }
    const actor: Actor = { device: await loadSelfDevice(old), userId: 'u' }
    for (let i = 0; i < 30; i++) createAtOldSchema(sqlite, actor.device, 'u', sample(i))
    await old.close()
    const store = openStore(file, migrationsDir)
    try {
      for (const q of questions) expect(await listIds(store, q), JSON.stringify(q)).toEqual(await scan(store, q))
    } finally {
      await store.close()
    }
  })

  it('combines a search with the list filters', async () => {
    const { store, actor } = await freshStore()
    await createRecords(store, actor, Array.from({ length: 40 }, (_, i) => ({ formVersionId: 'v', values: { ...sample(i), name: i % 2 ? 'Okafor' : 'Diallo' }, status: i % 3 === 0 ? ('complete' as const) : ('draft' as const) })))
    const search = async (filter: object) =>
      (await searchRecords(store, recordsSearchInputSchema.parse({ query: 'okafor', formId: 'f', limit: 200, filter }))).rows
    const all = await search({})
    expect(all).toHaveLength(20)
    const inGulu = await search({ question: { path: 'district', value: 'Gulu' } })
    expect(inGulu.length).toBeGreaterThan(0)
    expect(inGulu.every((r) => r.values.name === 'Okafor' && r.values.district === 'Gulu')).toBe(true)
    expect(inGulu).toHaveLength(all.filter((r) => r.values.district === 'Gulu').length)
    const complete = await search({ status: ['complete'] })
    expect(complete.length).toBeGreaterThan(0)
    expect(complete.every((r) => r.status === 'complete')).toBe(true)
    expect(await search({ status: ['complete'], question: { path: 'crops', value: 'rice' } })).toHaveLength(
      all.filter((r) => r.status === 'complete' && (r.values.crops as string[]).includes('rice')).length,
    )
    const future = Date.now() + 86_400_000
    expect(await search({ from: future })).toHaveLength(0)
    expect(await search({ dateField: 'updated', to: future })).toHaveLength(20)
  })
})
