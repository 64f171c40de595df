import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { makeRecordsCore, type RecordsCore } from './setup'

let core: RecordsCore
beforeEach(async () => {
  core = await makeRecordsCore()
})
afterEach(() => core.dispose())

describe('records.stats and targets', () => {
  it('counts per day, collector, status and form, with progress against the target', async () => {
    const ids: string[] = []
    for (let i = 0; i < 4; i++) ids.push((await core.call('records.create', { formVersionId: core.versionId, values: {} })).id)
    await core.call('records.setStatus', { id: ids[0] ?? '', status: 'complete' })
    await core.call('records.setStatus', { id: ids[1] ?? '', status: 'approved' })
    await core.call('records.setStatus', { id: ids[2] ?? '', status: 'rejected' })
    await core.call('records.delete', { id: ids[3] ?? '' })
    expect(await core.call('records.setTarget', { formId: core.formId, target: 10 })).toEqual({ formId: core.formId, target: 10 })
    const stats = await core.call('records.stats', {})
    expect(stats.total).toBe(3)
    expect(stats.perDay).toEqual([{ day: new Date().toISOString().slice(0, 10), count: 3 }])
    expect(stats.perCollector.map((c) => c.count)).toEqual([3])
    expect(new Map(stats.perStatus.map((s) => [s.status, s.count]))).toEqual(new Map([['complete', 1], ['approved', 1], ['rejected', 1]]))
    expect(stats.perForm.map(({ title: _title, ...rest }) => rest)).toEqual([{ formId: core.formId, count: 3, done: 2, target: 10 }])
    await core.call('records.setTarget', { formId: core.formId, target: null })
    expect((await core.call('records.stats', { formId: core.formId })).perForm[0]?.target).toBeNull()
  })

  it('restricts to a date range and shifts days to the viewer’s time zone', async () => {
    await core.call('records.create', { formVersionId: core.versionId, values: {} })
    const future = Date.now() + 86_400_000
    const none = await core.call('records.stats', { from: future })
    expect(none).toMatchObject({ total: 0, perDay: [], perStatus: [] })
    const shifted = await core.call('records.stats', { tzOffsetMinutes: 14 * 60 })
    const day = new Date(Date.now() + 14 * 60 * 60_000).toISOString().slice(0, 10)
    expect(shifted.perDay).toEqual([{ day, count: 1 }])
  })
})
