import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createRecords, type Actor } from '../../../electron/core/records/ops'
import { every } from '../../../electron/core/records/list-window'
import { makeRecordsCore, type RecordsCore } from './setup'

let core: RecordsCore
let actor: Actor
beforeEach(async () => {
  core = await makeRecordsCore()
  let tick = 1_700_000_000_000
  // A clock that repeats each millisecond a few times, so rid has to break ties.
  actor = { device: core.device, userId: 'clerk', now: () => Math.floor((tick += 0.25)) }
})
afterEach(() => core.dispose())

async function seed(count: number): Promise<void> {
  for (let i = 0; i < count; i += 1000) {
    const batch = Array.from({ length: Math.min(1000, count - i) }, (_, k) => ({
      formVersionId: core.versionId,
      values: { n: i + k },
      status: (i + k) % 3 === 0 ? ('complete' as const) : ('draft' as const),
    }))
    await createRecords(core.store, actor, batch)
  }
}

const ids = async (input: object) => (await core.call('records.list', { formId: core.formId, includeTotal: false, ...input })).rows.map((r) => r.id)

describe('deep windows of a long list', () => {
  it('returns the same rows as walking from the top, for every seekable sort, and follows writes', async () => {
    const count = every * 2 + 1234
    await seed(count)
    const all = (await core.store.db.selectFrom('records').select(['id', 'rid', 'updated_at']).orderBy('updated_at', 'desc').orderBy('rid', 'desc').execute()).map((r) => r.id)
    for (const offset of [0, every - 3, every, every + 17, 2 * every - 1, count - 10]) {
      expect(await ids({ offset, limit: 20 })).toEqual(all.slice(offset, offset + 20))
    }
    const byStatus = (await core.store.db.selectFrom('records').select('id').orderBy('status').orderBy('updated_at').orderBy('rid').execute()).map((r) => r.id)
    expect(await ids({ offset: every + 5, limit: 10, sort: { by: 'status', direction: 'asc' } })).toEqual(byStatus.slice(every + 5, every + 15))
    const created = (await core.store.db.selectFrom('records').select('id').where('status', '=', 'draft').orderBy('created_at').orderBy('rid').execute()).map((r) => r.id)
    const filter = { status: ['draft'] as const }
    expect(await ids({ offset: every + 1, limit: 10, sort: { by: 'created', direction: 'asc' }, filter: { status: [...filter.status] } })).toEqual(created.slice(every + 1, every + 11))
    // A new record moves every row down by one: remembered keys must not be reused.
    const before = await ids({ offset: every + 100, limit: 5 })
    await seed(1)
    expect(await ids({ offset: every + 101, limit: 5 })).toEqual(before)
  }, 60_000)
})
