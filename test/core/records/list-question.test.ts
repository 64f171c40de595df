import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { denseCandidates, questionCountCap } from '../../../electron/core/records/list'
import { createRecords } from '../../../electron/core/records/ops'
import { makeRecordsCore, type RecordsCore } from './setup'

let core: RecordsCore
beforeEach(async () => {
  core = await makeRecordsCore()
})
afterEach(() => core.dispose())

describe('question filter on a common answer', () => {
  it('walks the list instead of the search index and finds the same rows', async () => {
    const actor = { device: core.device, userId: 'clerk' }
    // Every record mentions Gulu somewhere; one in three lives there.
    const count = denseCandidates + 600
    for (let i = 0; i < count; i += 1000) {
      const batch = Array.from({ length: Math.min(1000, count - i) }, (_, k) => ({
        formVersionId: core.versionId,
        values: { district: (i + k) % 3 === 0 ? 'Gulu' : 'Lira', remark: 'near Gulu', n: i + k },
      }))
      await createRecords(core.store, actor, batch)
    }
    const expected = (
      await core.store.db
        .selectFrom('records')
        .select('id')
        .where('values_json', 'like', '%"district":"Gulu"%')
        .orderBy('updated_at', 'desc')
        .orderBy('rid', 'desc')
        .limit(50)
        .execute()
    ).map((r) => r.id)
    const page = await core.call('records.list', { formId: core.formId, limit: 50, filter: { question: { path: 'district', value: 'Gulu' } } })
    expect(page.rows.map((r) => r.id)).toEqual(expected)
    // Thousands match: the count stops at the cap and says so ("1,000+").
    expect(page.total).toBe(questionCountCap)
    expect(page.totalIsLowerBound).toBe(true)
    const rare = await core.call('records.list', { formId: core.formId, filter: { question: { path: 'n', value: 7 } } })
    expect(rare).toMatchObject({ total: 1, totalIsLowerBound: false })
  }, 60_000)
})
