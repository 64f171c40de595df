import { uuidv7 } from 'uuidv7'
import { afterEach, describe, expect, it } from 'vitest'
import type { Store } from '../../electron/core/db/open'
import { backlogSize } from '../../electron/core/records/index-backlog'
import { listRecords, searchRecords } from '../../electron/core/records/list'
import { applyRemoteOp } from '../../electron/core/sync/apply'
import { recordsListInputSchema, recordsSearchInputSchema } from '../../shared/api'
import { HlcClock } from '../../shared/hlc'
import type { FeedOp } from '../../shared/sync/ops'
import { oneFormSql, tempStore } from '../helpers/store'

// Records that arrive by sync or USB package (the pull's apply) are counted at once and indexed
// for search after the page commits, through the bulk create's backlog (migration 0012,
// records/index-backlog.ts). A search or question filter never misses one, and a record the ops
// after its create change is found by what it holds now, never by what it held.

const versionId = '01890000-0000-7000-8000-0000000000aa'
const cleanups: Array<() => Promise<void>> = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup()
})

async function laptop(): Promise<Store> {
  const { store, cleanup } = await tempStore((db) => db.exec(oneFormSql(versionId)))
  cleanups.push(cleanup)
  return store
}

const hq = new HlcClock('hqdevice', () => Date.now())
const base = { formVersionId: versionId, baseHlc: null, seen: {}, resolves: [], userId: 'hq', deviceId: 'hqdevice' }
const created = (recordId: string, values: Record<string, unknown>): FeedOp => ({
  ...base,
  opId: uuidv7(),
  recordId,
  kind: 'create',
  fieldPath: '',
  oldValue: null,
  newValue: { formVersionId: versionId, values, status: 'complete', instanceName: null },
  hlc: hq.tick(),
})
const set = (recordId: string, fieldPath: string, oldValue: unknown, newValue: unknown): FeedOp => ({
  ...base,
  opId: uuidv7(),
  recordId,
  kind: 'set',
  fieldPath,
  oldValue,
  newValue,
  hlc: hq.tick(),
})

/** One pull page: its changes applied in one transaction, as pull.ts and packages/import.ts do. */
const page = (store: Store, ops: FeedOp[]) => {
  const local = new HlcClock('self', () => Date.now())
  store.sqlite.transaction(() => ops.forEach((op) => applyRemoteOp(store.sqlite, local, op, Date.now())))()
}
const search = async (store: Store, query: string) =>
  (await searchRecords(store, recordsSearchInputSchema.parse({ query, formId: 'f' }))).rows.map((r) => r.id)
const byAnswer = async (store: Store, path: string, value: string) =>
  (await listRecords(store, recordsListInputSchema.parse({ formId: 'f', filter: { question: { path, value } } }))).rows.map((r) => r.id)
const ranges = (store: Store) => store.sqlite.prepare('SELECT first_rid, last_rid FROM records_unindexed ORDER BY first_rid').all()

describe('records that arrive by sync are indexed after the page, and always found', () => {
  it('notes a page of pulled records as one range, counts them at once, and a search finds them', async () => {
    const store = await laptop()
    const ids = Array.from({ length: 250 }, () => uuidv7())
    page(store, ids.map((id, i) => created(id, { name: `Person ${i}`, village: i === 7 ? 'Koboko' : 'Arua' })))
    expect(ranges(store)).toEqual([{ first_rid: 1, last_rid: 250 }])
    expect(store.sqlite.prepare('SELECT n FROM record_counts WHERE status = ?').get('complete')).toEqual({ n: 250 })
    expect(store.sqlite.prepare('SELECT count(*) AS n FROM records_fts').get()).toEqual({ n: 0 })

    expect(await search(store, 'koboko')).toEqual([ids[7]])
    expect(backlogSize(store.sqlite)).toBe(0)
    expect(await byAnswer(store, 'village', 'Koboko')).toEqual([ids[7]])

    // The next page continues after them: a new range, indexed by the next read.
    const more = uuidv7()
    page(store, [created(more, { name: 'Late arrival', village: 'Yumbe' })])
    expect(ranges(store)).toEqual([{ first_rid: 251, last_rid: 251 }])
    expect(await byAnswer(store, 'village', 'Yumbe')).toEqual([more])
  })

  it('finds a pulled record by what its later ops wrote, never by what they replaced', async () => {
    const store = await laptop()
    const id = uuidv7()
    page(store, [created(id, { name: 'Amina', village: 'Gulu' }), set(id, 'village', 'Gulu', 'Lira')])
    expect(backlogSize(store.sqlite)).toBe(1)
    expect(await search(store, 'lira')).toEqual([id])
    expect(await search(store, 'gulu')).toEqual([])
    expect(await byAnswer(store, 'village', 'Gulu')).toEqual([])

    // Once indexed, an edit that arrives later re-indexes it at once (the update triggers).
    page(store, [set(id, 'village', 'Lira', 'Kitgum')])
    expect(backlogSize(store.sqlite)).toBe(0)
    expect(await search(store, 'kitgum')).toEqual([id])
    expect(await search(store, 'lira')).toEqual([])
  })
})
