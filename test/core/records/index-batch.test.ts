import { uuidv7 } from 'uuidv7'
import { afterEach, describe, expect, it } from 'vitest'
import type { Store } from '../../../electron/core/db/open'
import { listRecords, searchRecords } from '../../../electron/core/records/list'
import {
  createRecords,
  setFieldValues,
  setStatus,
  type Actor,
} from '../../../electron/core/records/ops'
import { applyRemoteOp } from '../../../electron/core/sync/apply'
import { HlcClock } from '../../../shared/hlc'
import { recordsListInputSchema, recordsSearchInputSchema } from '../../../shared/api'
import type { FeedOp } from '../../../shared/sync/ops'
import { oneFormSql, tempStore } from '../../helpers/store'

// Migration 0011: a record's search text, answer tokens, status count and create clock are
// written per batch by the code that inserts it (index-batch.ts), not by per-row triggers.

const cleanups: Array<() => Promise<void>> = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup()
})

async function freshStore(): Promise<{ store: Store; actor: Actor }> {
  const { store, actor, cleanup } = await tempStore((db) => db.exec(oneFormSql(versionId)))
  cleanups.push(cleanup)
  return { store, actor }
}

const versionId = '01890000-0000-7000-8000-000000000001'
const search = async (store: Store, query: string) =>
  (await searchRecords(store, recordsSearchInputSchema.parse({ query, formId: 'f' }))).rows.map(
    (r) => r.id,
  )
const byAnswer = async (store: Store, path: string, value: string) =>
  (
    await listRecords(
      store,
      recordsListInputSchema.parse({ formId: 'f', filter: { question: { path, value } } }),
    )
  ).rows.map((r) => r.id)
const counts = (store: Store) =>
  store.sqlite.prepare('SELECT status, n FROM record_counts ORDER BY status').all()

describe('records indexed per batch (migration 0011)', () => {
  it('makes every record of a batch searchable, filterable, counted and clocked in its transaction', async () => {
    const { store, actor } = await freshStore()
    const ids = await createRecords(store, actor, [
      {
        formVersionId: versionId,
        values: { name: 'Amina', district: 'Gulu' },
        instanceName: 'Okafor house',
      },
      { formVersionId: versionId, values: { name: 'Kofi', district: 'Lira', crops: ['maize'] } },
      { formVersionId: versionId, values: { name: 'Zoë', district: 'Gulu' }, status: 'complete' },
    ])
    expect(await search(store, 'okafor')).toEqual([ids[0]])
    expect(await search(store, 'zoe')).toEqual([ids[2]])
    expect((await byAnswer(store, 'district', 'Gulu')).sort()).toEqual([ids[0], ids[2]].sort())
    expect(await byAnswer(store, 'crops', 'maize')).toEqual([ids[1]])
    expect(counts(store)).toEqual([
      { status: 'complete', n: 1 },
      { status: 'draft', n: 2 },
    ])
    expect(
      store.sqlite
        .prepare("SELECT count(*) AS n FROM sync_field_clocks WHERE key = '#create'")
        .get(),
    ).toEqual({ n: 3 })
    // A second batch adds to the counts; edits are kept by the update triggers as before.
    await createRecords(store, actor, [{ formVersionId: versionId, values: { name: 'Esi' } }])
    await setFieldValues(store, actor, ids[1] ?? '', [{ path: 'district', value: 'Gulu' }])
    await setStatus(store, actor, ids[0] ?? '', 'complete')
    expect(counts(store)).toEqual([
      { status: 'complete', n: 2 },
      { status: 'draft', n: 2 },
    ])
    expect(await byAnswer(store, 'district', 'Lira')).toEqual([])
    expect((await byAnswer(store, 'district', 'Gulu')).length).toBe(3)
  })

  it('indexes a batch of several statements, and the records whose text only SQL spells, like any other', async () => {
    const { store, actor } = await freshStore()
    // 250 records: three multi-row statements per table (insert-rows.ts), and among them values
    // index-text.ts leaves to SQL (a fraction, a lone surrogate).
    const inputs = Array.from({ length: 250 }, (_, i) => ({
      formVersionId: versionId,
      values: {
        name: `Person${i}`,
        district: i % 2 ? 'Gulu' : 'Lira',
        size: i,
        ...(i === 7 ? { ratio: 1 / 3 } : {}),
        ...(i === 8 ? { note: 'odd \ud800 text' } : {}),
      },
      status: i % 5 === 0 ? ('complete' as const) : ('draft' as const),
    }))
    const ids = await createRecords(store, actor, inputs)
    const rows = store.sqlite
      .prepare(
        'SELECT r.rid, r.id, o.seq FROM records r JOIN record_ops o ON o.record_id = r.id ORDER BY r.rid',
      )
      .all() as { rid: number; id: string; seq: number }[]
    expect(rows.map((r) => r.id)).toEqual(ids)
    expect(rows.map((r) => r.seq)).toEqual(rows.map((_, i) => i + 1))
    for (const i of [0, 99, 100, 101, 249])
      expect(await search(store, `person${i}`)).toEqual([ids[i]])
    // SQLite prints 1/3 as 0.33333333333333332 (JavaScript: 0.3333333333333333): SQL's text.
    expect(await search(store, '33333333333333332')).toEqual([ids[7]])
    expect(await search(store, 'odd text')).toEqual([ids[8]])
    const byNumber = await listRecords(
      store,
      recordsListInputSchema.parse({
        formId: 'f',
        filter: { question: { path: 'size', value: 8 } },
      }),
    )
    expect(byNumber.rows.map((r) => r.id)).toEqual([ids[8]])
    const gulu = await listRecords(
      store,
      recordsListInputSchema.parse({
        formId: 'f',
        filter: { question: { path: 'district', value: 'Gulu' } },
      }),
    )
    expect(gulu.total).toBe(125)
    expect(counts(store)).toEqual([
      { status: 'complete', n: 50 },
      { status: 'draft', n: 200 },
    ])
    expect(
      store.sqlite
        .prepare("SELECT count(*) AS n FROM sync_field_clocks WHERE key = '#create'")
        .get(),
    ).toEqual({ n: 250 })
    // The next batch numbers on from there.
    const [next] = await createRecords(store, actor, [
      { formVersionId: versionId, values: { name: 'Last' } },
    ])
    expect(
      store.sqlite
        .prepare(
          'SELECT r.rid, o.seq FROM records r JOIN record_ops o ON o.record_id = r.id WHERE r.id = ?',
        )
        .get(next),
    ).toEqual({ rid: 251, seq: 251 })
  })

  it('indexes and counts a record that arrives by sync', async () => {
    const { store } = await freshStore()
    const remote = new HlcClock('otherdevice', () => Date.now())
    const recordId = uuidv7()
    const op: FeedOp = {
      opId: uuidv7(),
      recordId,
      formVersionId: versionId,
      kind: 'create',
      fieldPath: '',
      oldValue: null,
      newValue: {
        formVersionId: versionId,
        values: { name: 'Ibrahim', district: 'Arua' },
        status: 'draft',
        instanceName: 'Sow house',
      },
      hlc: remote.tick(),
      baseHlc: null,
      seen: {},
      resolves: [],
      userId: 'hq',
      deviceId: 'otherdevice',
    }
    const local = new HlcClock('self', () => Date.now())
    store.sqlite.transaction(() => applyRemoteOp(store.sqlite, local, op, Date.now()))()
    expect(await search(store, 'ibrahim')).toEqual([recordId])
    expect(await search(store, 'sow')).toEqual([recordId])
    expect(await byAnswer(store, 'district', 'Arua')).toEqual([recordId])
    expect(counts(store)).toEqual([{ status: 'draft', n: 1 }])
    // Its clock is the create's one row: not this laptop's create, written by the merge.
    expect(store.sqlite.prepare('SELECT key FROM sync_field_clocks').all()).toEqual([
      { key: '#create' },
    ])
  })
})
