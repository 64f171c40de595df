import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { CallInput, CallName, Role } from '../../../shared/api'
import { callNames, callPermissions, can, rolePermissions } from '../../../shared/api'
import { testSupervisor } from '../../helpers/core'
import { makeRecordsCore, type RecordsCore } from '../records/setup'

let core: RecordsCore
const passwords: Record<Role, string> = { supervisor: testSupervisor.password, collector: 'collector pass 1', clerk: 'clerk pass 123' }
const usernames: Record<Role, string> = { supervisor: 'sam', collector: 'amina', clerk: 'joe' }

beforeAll(async () => {
  core = await makeRecordsCore()
  await core.call('users.create', { username: 'amina', displayName: 'Amina', role: 'collector', password: passwords.collector })
  await core.call('users.create', { username: 'joe', displayName: 'Joe', role: 'clerk', password: passwords.clerk })
})
afterAll(() => core.dispose())

async function signInAs(role: Role): Promise<void> {
  await core.call('auth.lock', {})
  await core.call('auth.login', { username: usernames[role], password: passwords[role] })
}

describe('roles enforced by the core', () => {
  it('gives every call a permission, and the renderer the same table', () => {
    for (const name of callNames) expect(callPermissions[name], name).toBeDefined()
    expect(can('supervisor', 'records.export')).toBe(true)
    expect(can('collector', 'records.export')).toBe(false)
    expect(can('clerk', 'records.export')).toBe(false)
    expect(can(null, 'public')).toBe(true)
    expect(can(null, 'signedIn')).toBe(false)
    expect(rolePermissions.collector).not.toContain('users.manage')
  })

  it('refuses every non-public call while locked, before even reading its input', async () => {
    await core.call('auth.lock', {})
    for (const name of callNames) {
      if (callPermissions[name] === 'public') continue
      const result = await core.dispatch(name, {})
      expect(result, name).toEqual({ ok: false, error: { code: 'unauthorized', message: 'Sign in to continue.' } })
    }
    await signInAs('supervisor')
  })

  const forbidden: { role: Role; name: CallName; input: () => CallInput<CallName> }[] = [
    { role: 'collector', name: 'records.export', input: () => ({ formId: core.formId, format: 'csv', outputPath: '/tmp/x.csv' }) },
    { role: 'clerk', name: 'records.export', input: () => ({ formId: core.formId, format: 'csv', outputPath: '/tmp/x.csv' }) },
    { role: 'collector', name: 'users.create', input: () => ({ username: 'evil', displayName: 'E', role: 'supervisor', password: 'password123' }) },
    { role: 'clerk', name: 'users.list', input: () => ({}) },
    { role: 'collector', name: 'forms.import', input: () => ({ fileName: 'x.md', contentBase64: '' }) },
    { role: 'clerk', name: 'sync.enroll', input: () => ({ registryUrl: 'https://registry.example', code: 'ABCD-1234' }) },
    { role: 'collector', name: 'sync.resolve', input: () => ({ conflictId: 'c', value: 1 }) },
    { role: 'clerk', name: 'records.setTarget', input: () => ({ formId: core.formId, target: 10 }) },
    { role: 'collector', name: 'auth.configure', input: () => ({ idleLockMinutes: 600 }) },
  ]
  for (const { role, name, input } of forbidden) {
    it(`refuses ${name} to a ${role} with a forbidden error naming the action`, async () => {
      await signInAs(role)
      const error = await core.refuse(name, input())
      expect(error.code).toBe('forbidden')
      expect(error.message).toMatch(role === 'clerk' ? /^Data-entry clerk accounts cannot / : /^Collector accounts cannot /)
      expect(error.message).toContain(name.split('.')[0] ?? '')
    })
  }

  it('lets a collector see and change only their own records', async () => {
    await signInAs('supervisor')
    const theirs = await core.call('records.create', { formVersionId: core.versionId, values: { hh_name: 'Supervisor record' } })
    await signInAs('collector')
    const own = await core.call('records.create', { formVersionId: core.versionId, values: { hh_name: 'Collector record' } })
    expect(own.createdBy).toBe('amina')
    const listed = await core.call('records.list', { formId: core.formId, includeTotal: true })
    expect(listed.rows.map((r) => r.id)).toEqual([own.id])
    expect(listed.total).toBe(1)
    const found = await core.call('records.search', { query: 'record' })
    expect(found.rows.map((r) => r.id)).toEqual([own.id])
    expect(await core.refuse('records.get', { id: theirs.id })).toMatchObject({ code: 'forbidden' })
    expect(await core.refuse('records.update', { id: theirs.id, changes: [{ path: 'hh_name', value: 'x' }] })).toMatchObject({ code: 'forbidden' })
    expect(await core.refuse('records.delete', { id: theirs.id })).toMatchObject({ code: 'forbidden' })
    expect(await core.refuse('records.history', { id: theirs.id })).toMatchObject({ code: 'forbidden' })
    expect(await core.refuse('records.setStatus', { id: own.id, status: 'approved' })).toMatchObject({ code: 'forbidden' })
    await core.call('records.update', { id: own.id, changes: [{ path: 'hh_name', value: 'Fixed' }] })
    await core.call('records.setStatus', { id: own.id, status: 'complete' })
    await core.call('records.update', { id: own.id, changes: [{ path: 'hh_name', value: 'Fixed again' }] })

    // The progress numbers a collector sees are of their own records too.
    const stats = await core.call('records.stats', {})
    expect(stats.total).toBe(1)
    expect(stats.perCollector).toEqual([{ userId: 'amina', count: 1 }])

    await signInAs('supervisor')
    expect((await core.call('records.stats', {})).total).toBe(2)
    const all = await core.call('records.list', { formId: core.formId, includeTotal: true })
    expect(all.rows.map((r) => r.id).sort()).toEqual([own.id, theirs.id].sort())
    expect((await core.call('records.get', { id: own.id })).updatedBy).toBe('amina')
  })

  it('lets a clerk correct their own drafts only', async () => {
    await signInAs('clerk')
    const draft = await core.call('records.create', { formVersionId: core.versionId, values: { hh_name: 'From paper' } })
    await core.call('records.update', { id: draft.id, changes: [{ path: 'hh_name', value: 'From paper, fixed' }] })
    await core.call('records.setStatus', { id: draft.id, status: 'complete' })
    const late = await core.refuse('records.update', { id: draft.id, changes: [{ path: 'hh_name', value: 'late' }] })
    expect(late.code).toBe('forbidden')
    expect(late.message).toContain('own drafts')
  })

  it('writes the signed-in user into every op of the log', async () => {
    const ops = await core.store.db.selectFrom('record_ops').select(['user_id']).distinct().execute()
    expect(ops.map((o) => o.user_id).sort()).toEqual(['amina', 'joe', 'sam'])
  })
})
