import { describe, expect, it } from 'vitest'
import type { CallInput, CallName, OutpostApi } from '../../shared/api'
import type { RecordSummary } from '../../shared/api/records'
import { setApi } from '../../renderer/src/api/outpost'
import { pageSize, useRecordsStore } from '../../renderer/src/stores/use-records-store'
import { useUndoStore } from '../../renderer/src/stores/use-records-undo-store'

const row = (i: number): RecordSummary => ({
  id: `r${i}`,
  formId: 'f',
  formVersionId: 'v',
  status: 'complete',
  instanceName: `R${i}`,
  values: {},
  createdBy: 'ana',
  createdAt: i,
  updatedBy: 'ana',
  updatedAt: i,
  deletedAt: null,
  deletedBy: null,
})

/** A core holding `count` records; the list counts at most `cap` of them, like the real one. */
function fakeCore(count: number, cap = Infinity) {
  const calls: Array<{ name: CallName; input: unknown }> = []
  const api: OutpostApi = {
    on: () => () => undefined,
    invoke: (name, input) => {
      calls.push({ name, input })
      if (name === 'records.list') {
        const { offset = 0, limit = 100, includeTotal } = input as CallInput<'records.list'>
        const rows = Array.from({ length: Math.max(0, Math.min(limit, count - offset)) }, (_, i) =>
          row(offset + i),
        )
        const total = includeTotal ? Math.min(count, cap) : null
        return Promise.resolve({
          ok: true,
          value: { rows, total, totalIsLowerBound: includeTotal === true && count > cap },
        } as never)
      }
      return Promise.resolve({ ok: true, value: row(0) } as never)
    },
  }
  setApi(api)
  return calls
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0))

describe('records store', () => {
  it('fetches windows by offset and asks for the count only with the first', async () => {
    const calls = fakeCore(1000)
    useRecordsStore.getState().open('f')
    await settle()
    useRecordsStore.getState().ensureRange(450, 520)
    await settle()
    const lists = calls
      .filter((c) => c.name === 'records.list')
      .map((c) => c.input as CallInput<'records.list'>)
    expect(lists.map((l) => [l.offset, l.limit, l.includeTotal])).toEqual([
      [0, pageSize, true],
      [400, pageSize, false],
      [500, pageSize, false],
    ])
    expect(useRecordsStore.getState().total).toBe(1000)
    expect(useRecordsStore.getState().rowAt(512)?.id).toBe('r512')
  })

  it('grows a capped count as further windows come back full', async () => {
    fakeCore(350, 200)
    useRecordsStore.getState().setQuery({ status: ['complete'] })
    await settle()
    expect(useRecordsStore.getState()).toMatchObject({ total: 200, totalOpen: true })
    useRecordsStore.getState().ensureRange(200, 350)
    await settle()
    expect(useRecordsStore.getState()).toMatchObject({ total: 350, totalOpen: false })
  })

  it('deletes, then offers an undo that restores the same records', async () => {
    const calls = fakeCore(10)
    await useRecordsStore.getState().remove(['r1', 'r2'])
    expect(useUndoStore.getState().offer).toMatchObject({ kind: 'deleted', count: 2 })
    await useUndoStore.getState().undo()
    const writes = calls.filter((c) => c.name === 'records.delete' || c.name === 'records.restore')
    expect(writes.map((c) => [c.name, (c.input as { id: string }).id])).toEqual([
      ['records.delete', 'r1'],
      ['records.delete', 'r2'],
      ['records.restore', 'r1'],
      ['records.restore', 'r2'],
    ])
    expect(useUndoStore.getState().offer).toBeNull()
  })
})
