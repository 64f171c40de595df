import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { makeRecordsCore, type RecordsCore } from './setup'

let core: RecordsCore
beforeEach(async () => {
  core = await makeRecordsCore()
})
afterEach(() => core.dispose())

const create = (values: Record<string, unknown> = { hh_name: 'Ana' }) =>
  core.call('records.create', { formVersionId: core.versionId, values: values, instanceName: 'Ana household' })

describe('records: create, read, update', () => {
  it('creates a draft with its values, authorship and form, and reads it back', async () => {
    const created = await create({ hh_name: 'Ana', ok: 'yes', members: [{ name: 'Bo', crops: ['maize'] }] })
    expect(created).toMatchObject({ formId: core.formId, formVersionId: core.versionId, status: 'draft', instanceName: 'Ana household', deletedAt: null, attachments: [] })
    expect(created.id).toMatch(/^[0-9a-f-]{36}$/)
    expect(created.createdBy).toBe(created.updatedBy)
    const read = await core.call('records.get', { id: created.id })
    expect(read.values).toEqual({ hh_name: 'Ana', ok: 'yes', members: [{ name: 'Bo', crops: ['maize'] }] })
  })

  it('creates a record already marked complete when asked', async () => {
    const created = await core.call('records.create', { formVersionId: core.versionId, values: {}, status: 'complete' })
    expect(created.status).toBe('complete')
  })

  it('applies field changes and keeps the other values', async () => {
    const { id } = await create({ hh_name: 'Ana', ok: 'no' })
    const updated = await core.call('records.update', { id, changes: [{ path: 'ok', value: 'yes' }], instanceName: 'Renamed' })
    expect(updated.values).toEqual({ hh_name: 'Ana', ok: 'yes' })
    expect(updated.instanceName).toBe('Renamed')
  })

  it('marks a record complete, then approved', async () => {
    const { id } = await create()
    expect((await core.call('records.setStatus', { id, status: 'complete' })).status).toBe('complete')
    expect((await core.call('records.setStatus', { id, status: 'approved' })).status).toBe('approved')
  })

  it('soft-deletes a record, keeps it readable, and restores it with undo', async () => {
    const { id } = await create()
    const deleted = await core.call('records.delete', { id })
    expect(deleted.deletedAt).not.toBeNull()
    expect(deleted.deletedBy).toBe(deleted.updatedBy)
    expect((await core.call('records.list', { formId: core.formId })).rows).toEqual([])
    expect((await core.call('records.list', { formId: core.formId, deleted: true })).rows.map((r) => r.id)).toEqual([id])
    const restored = await core.call('records.restore', { id })
    expect(restored).toMatchObject({ deletedAt: null, deletedBy: null, values: { hh_name: 'Ana' } })
    expect((await core.call('records.list', { formId: core.formId })).total).toBe(1)
  })
})

describe('records: refusals', () => {
  it('refuses an unknown record for every call that takes one', async () => {
    const id = '0190c0de-0000-7000-8000-000000000000'
    for (const error of [
      await core.refuse('records.get', { id }),
      await core.refuse('records.update', { id, changes: [{ path: 'ok', value: 'yes' }] }),
      await core.refuse('records.setStatus', { id, status: 'complete' }),
      await core.refuse('records.delete', { id }),
      await core.refuse('records.restore', { id }),
      await core.refuse('records.history', { id }),
      await core.refuse('records.restoreField', { id, path: 'ok', opId: id }),
      await core.refuse('records.addAttachment', { recordId: id, fieldPath: 'photo', fileName: 'a.jpg', contentBase64: 'AAAA' }),
    ]) {
      expect(error.code).toBe('not_found')
      expect(error.message).toMatch(/record|change/)
    }
  })

  it('refuses a record for a form version that is not on this laptop', async () => {
    const error = await core.refuse('records.create', { formVersionId: 'nope', values: {} })
    expect(error.code).toBe('not_found')
    expect(error.message).toMatch(/import the form/)
  })

  it('refuses edits, status changes and attachments on a deleted record until it is restored', async () => {
    const { id } = await create()
    await core.call('records.delete', { id })
    for (const error of [
      await core.refuse('records.update', { id, changes: [{ path: 'ok', value: 'yes' }] }),
      await core.refuse('records.setStatus', { id, status: 'complete' }),
      await core.refuse('records.addAttachment', { recordId: id, fieldPath: 'photo', fileName: 'a.jpg', contentBase64: 'AAAA' }),
    ]) {
      expect(error.code).toBe('conflict')
      expect(error.message).toMatch(/Restore it/)
    }
    await core.call('records.restore', { id })
    await expect(core.call('records.update', { id, changes: [{ path: 'ok', value: 'yes' }] })).resolves.toMatchObject({ values: { ok: 'yes' } })
  })

  it('refuses bad input: unknown keys, bad status, bad paths, bad values, empty search', async () => {
    const { id } = await create()
    expect((await core.refuse('records.get', { id, extra: 1 } as never)).code).toBe('validation')
    expect((await core.refuse('records.setStatus', { id, status: 'done' as never })).code).toBe('validation')
    expect((await core.refuse('records.update', { id, changes: [{ path: 'a b', value: 1 }] })).code).toBe('validation')
    expect((await core.refuse('records.update', { id, changes: [{ path: 'x', value: { nested: 1 } }] })).code).toBe('validation')
    expect((await core.refuse('records.search', { query: '   ' })).code).toBe('validation')
    expect((await core.refuse('records.list', { formId: core.formId, limit: 10_000 })).code).toBe('validation')
    expect((await core.refuse('records.addAttachment', { recordId: id, fieldPath: 'p', fileName: '../x', contentBase64: 'AAAA' })).code).toBe('validation')
    expect((await core.refuse('records.setTarget', { formId: 'nope', target: 5 })).code).toBe('not_found')
  })
})
