import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { FormImportResult, RecordDetail, SyncStatus } from '../../shared/api'
import { makeCore, type TestCore } from '../helpers/core'
import { makeFormMarkdown, toBase64 } from '../helpers/forms'

// The status line shows at all times how many changes wait to be sent (issue 7). It polls every
// few seconds; a change saved on this laptop is announced at once (app-core.ts, thenSyncStatus).

let core: TestCore
beforeEach(async () => {
  core = await makeCore()
})
afterEach(() => core.dispose())

async function call<T>(name: string, input: unknown): Promise<T> {
  const result = await core.dispatch(name, input)
  if (!result.ok) throw new Error(result.error.message)
  return result.value as T
}

describe('the sync status after a change saved here', () => {
  it('is announced with the change counted, for every kind of local write', async () => {
    const statuses: SyncStatus[] = []
    core.events.subscribe((event) => {
      if (event.name === 'sync.progress') statuses.push(event.payload)
    })
    const imported = await call<FormImportResult>('forms.import', { fileName: 'hh.md', contentBase64: toBase64(makeFormMarkdown()) })
    const form = await call<{ formVersionId: string }>('forms.get', { id: imported.form.id })
    const waitingAfter = async (name: string, input: unknown): Promise<number> => {
      const before = statuses.length
      const value = await call<RecordDetail>(name, input)
      expect(statuses.length, `${name} announced the status`).toBe(before + 1)
      expect(value).toBeDefined()
      return statuses.at(-1)?.waiting ?? -1
    }

    const created = await call<RecordDetail>('records.create', { formVersionId: form.formVersionId, values: { hh_name: 'Amina' } })
    const first = statuses.at(-1)?.waiting ?? 0
    expect(first).toBeGreaterThan(0)
    const afterEdit = await waitingAfter('records.update', { id: created.id, changes: [{ path: 'size', value: 4 }] })
    expect(afterEdit).toBeGreaterThan(first)
    const afterComplete = await waitingAfter('records.setStatus', { id: created.id, status: 'complete' })
    expect(afterComplete).toBeGreaterThan(afterEdit)
    const afterDelete = await waitingAfter('records.delete', { id: created.id })
    expect(afterDelete).toBeGreaterThan(afterComplete)
    expect(await waitingAfter('records.restore', { id: created.id })).toBeGreaterThan(afterDelete)
    // Reads announce nothing.
    const before = statuses.length
    await call('records.get', { id: created.id })
    await call('records.list', { formId: imported.form.id })
    expect(statuses.length).toBe(before)
  })
})
