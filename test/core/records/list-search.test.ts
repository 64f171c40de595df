import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { RecordValues } from '../../../shared/records/values'
import { makeRecordsCore, type RecordsCore } from './setup'

let core: RecordsCore
beforeEach(async () => {
  core = await makeRecordsCore()
})
afterEach(() => core.dispose())

async function seed(rows: { name: string; values?: RecordValues; status?: 'draft' | 'complete' }[]): Promise<string[]> {
  const ids: string[] = []
  for (const row of rows) {
    const created = await core.call('records.create', { formVersionId: core.versionId, instanceName: row.name, values: row.values ?? { hh_name: row.name }, status: row.status })
    ids.push(created.id)
  }
  return ids
}

describe('records.list', () => {
  it('pages newest first with a total, and windows anywhere in the list', async () => {
    const ids = await seed(Array.from({ length: 25 }, (_, i) => ({ name: `r${i}` })))
    const first = await core.call('records.list', { formId: core.formId, limit: 10 })
    expect(first.total).toBe(25)
    expect(first.rows.map((r) => r.id)).toEqual([...ids].reverse().slice(0, 10))
    const window = await core.call('records.list', { formId: core.formId, offset: 20, limit: 10, includeTotal: false })
    expect(window.total).toBeNull()
    expect(window.rows.map((r) => r.instanceName)).toEqual(['r4', 'r3', 'r2', 'r1', 'r0'])
  })

  it('sorts by instance name, status and creation time in both directions', async () => {
    await seed([{ name: 'b' }, { name: 'c', status: 'complete' }, { name: 'a' }])
    const names = async (by: 'instanceName' | 'status' | 'created', direction: 'asc' | 'desc') =>
      (await core.call('records.list', { formId: core.formId, sort: { by, direction } })).rows.map((r) => r.instanceName)
    expect(await names('instanceName', 'asc')).toEqual(['a', 'b', 'c'])
    expect(await names('instanceName', 'desc')).toEqual(['c', 'b', 'a'])
    expect(await names('status', 'asc')).toEqual(['c', 'b', 'a'])
    expect(await names('created', 'asc')).toEqual(['b', 'c', 'a'])
  })

  it('filters by status, date range and a question, counting what matches', async () => {
    const [a] = await seed([
      { name: 'a', values: { ok: 'yes', members: [{ crops: ['maize', 'rice'] }] } },
      { name: 'b', values: { ok: 'no', hh_name: 'yes man' }, status: 'complete' },
      { name: 'c', values: { ok: 'yes', size: 3 } },
    ])
    const list = (filter: object) => core.call('records.list', { formId: core.formId, filter })
    expect((await list({ status: ['complete'] })).rows.map((r) => r.instanceName)).toEqual(['b'])
    expect((await list({ status: ['complete'] })).total).toBe(1)
    const okYes = await list({ question: { path: 'ok', value: 'yes' } })
    expect(okYes.rows.map((r) => r.instanceName)).toEqual(['c', 'a'])
    expect(okYes.total).toBe(2)
    expect(okYes.totalIsLowerBound).toBe(false)
    expect((await list({ question: { path: 'size', value: 3 } })).rows.map((r) => r.instanceName)).toEqual(['c'])
    expect((await list({ question: { path: 'size', value: null } })).total).toBe(2)
    const created = (await core.call('records.get', { id: a ?? '' })).createdAt
    expect((await list({ from: created, to: created + 60_000 })).total).toBe(3)
    expect((await list({ to: created - 1 })).total).toBe(0)
    expect((await list({ dateField: 'updated', from: created + 3_600_000 })).rows).toEqual([])
  })
})

describe('records.search', () => {
  it('finds records by any value or instance name, ignoring accents and case, by prefix', async () => {
    await seed([
      { name: 'Household of João', values: { hh_name: 'João Guimarães', members: [{ name: 'Zoë' }] } },
      { name: 'Other', values: { hh_name: 'Peter Smith', village: 'Mbarara' } },
    ])
    const find = async (query: string) => (await core.call('records.search', { query })).rows.map((r) => r.instanceName)
    expect(await find('joao')).toEqual(['Household of João'])
    expect(await find('GUIMA')).toEqual(['Household of João'])
    expect(await find('zoe')).toEqual(['Household of João'])
    expect(await find('mbar')).toEqual(['Other'])
    expect(await find('joão guim')).toEqual(['Household of João'])
    expect(await find('jo guim')).toEqual([]) // only the word being typed is a prefix
    expect(await find('smith joão')).toEqual([])
    expect(await find('"; DROP TABLE records; --')).toEqual([])
    expect(await find('*')).toEqual([])
  })

  it('keeps the index in step with edits and hides deleted records', async () => {
    const [id] = await seed([{ name: 'x', values: { hh_name: 'Kampala' } }])
    await core.call('records.update', { id: id ?? '', changes: [{ path: 'hh_name', value: 'Gulu' }] })
    expect((await core.call('records.search', { query: 'kampala' })).rows).toEqual([])
    expect((await core.call('records.search', { query: 'gulu', formId: core.formId })).rows).toHaveLength(1)
    await core.call('records.delete', { id: id ?? '' })
    expect((await core.call('records.search', { query: 'gulu' })).rows).toEqual([])
    await core.call('records.restore', { id: id ?? '' })
    expect((await core.call('records.search', { query: 'gulu' })).rows).toHaveLength(1)
  })

  it('pages search results newest first and says when there are more', async () => {
    await seed(Array.from({ length: 5 }, (_, i) => ({ name: `n${i}`, values: { hh_name: 'Lira' } })))
    const page = await core.call('records.search', { query: 'lira', limit: 3 })
    expect(page.rows.map((r) => r.instanceName)).toEqual(['n4', 'n3', 'n2'])
    expect(page.more).toBe(true)
    const rest = await core.call('records.search', { query: 'lira', limit: 3, offset: 3 })
    expect(rest).toMatchObject({ more: false, rows: [{ instanceName: 'n1' }, { instanceName: 'n0' }] })
  })
})
