import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { makeRecordsCore, type RecordsCore } from './setup'

let core: RecordsCore
beforeEach(async () => {
  core = await makeRecordsCore()
})
afterEach(() => core.dispose())

describe('record history', () => {
  it('lists every change in order: who, when, which field, before and after', async () => {
    const { id } = await core.call('records.create', { formVersionId: core.versionId, values: { hh_name: 'Ana', ok: 'no' } })
    await core.call('records.update', { id, changes: [{ path: 'ok', value: 'yes' }, { path: 'hh_name', value: 'Ana' }] })
    await core.call('records.setStatus', { id, status: 'complete' })
    await core.call('records.delete', { id })
    await core.call('records.restore', { id })
    const { entries } = await core.call('records.history', { id })
    expect(entries.map((e) => [e.kind, e.path, e.before, e.after])).toEqual([
      ['create', '', null, { formVersionId: core.versionId, values: { hh_name: 'Ana', ok: 'no' }, status: 'draft', instanceName: null }],
      ['set', 'ok', 'no', 'yes'], // the unchanged hh_name left no op
      ['status', '', 'draft', 'complete'],
      ['delete', '', null, expect.any(Number)],
      ['restore', '', expect.any(Number), null],
    ])
    const device = (await core.call('app.info', {})).deviceId
    for (const entry of entries) expect([entry.deviceId, typeof entry.userId, typeof entry.at]).toEqual([device, 'string', 'number'])
    expect([...entries.map((e) => e.hlc)].sort()).toEqual(entries.map((e) => e.hlc))
  })

  it('restores a field to the value it had after an earlier op, as a new op', async () => {
    const { id } = await core.call('records.create', { formVersionId: core.versionId, values: { ok: 'no' } })
    await core.call('records.update', { id, changes: [{ path: 'ok', value: 'yes' }] })
    const first = (await core.call('records.history', { id })).entries[1]
    await core.call('records.update', { id, changes: [{ path: 'ok', value: 'maybe' }] })
    const restored = await core.call('records.restoreField', { id, path: 'ok', opId: first?.opId ?? '' })
    expect(restored.values.ok).toBe('yes')
    const last = (await core.call('records.history', { id })).entries.at(-1)
    expect(last).toMatchObject({ kind: 'revert', path: 'ok', before: 'maybe', after: 'yes', revertsOpId: first?.opId })
  })

  it('restores the initial value from the create op, and absence as null', async () => {
    const { id } = await core.call('records.create', { formVersionId: core.versionId, values: { ok: 'no' } })
    const created = (await core.call('records.history', { id })).entries[0]
    await core.call('records.update', { id, changes: [{ path: 'ok', value: 'yes' }, { path: 'hh_name', value: 'Later' }] })
    const back = await core.call('records.restoreField', { id, path: 'ok', opId: created?.opId ?? '' })
    expect(back.values.ok).toBe('no')
    const cleared = await core.call('records.restoreField', { id, path: 'hh_name', opId: created?.opId ?? '' })
    expect(cleared.values.hh_name).toBeNull()
  })

  it('refuses an op of another record', async () => {
    const a = await core.call('records.create', { formVersionId: core.versionId, values: { ok: 'no' } })
    const b = await core.call('records.create', { formVersionId: core.versionId, values: { ok: 'no' } })
    const opOfA = (await core.call('records.history', { id: a.id })).entries[0]?.opId ?? ''
    expect(await core.refuse('records.restoreField', { id: b.id, path: 'ok', opId: opOfA })).toMatchObject({ code: 'not_found' })
  })

  it('keeps the log append-only: the database refuses to rewrite history', async () => {
    const { id } = await core.call('records.create', { formVersionId: core.versionId, values: { ok: 'no' } })
    expect(() => core.store.sqlite.prepare('UPDATE record_ops SET new_value = ? WHERE record_id = ?').run('"x"', id)).toThrow(/append-only/)
  })
})
