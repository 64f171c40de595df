import { readdirSync } from 'node:fs'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { AppFailure } from '../../shared/errors'
import { createDispatcher } from '../../electron/core/dispatch'
import { makeCore, type TestCore } from '../helpers/core'
import { migrationsDir } from '../helpers/paths'

let core: TestCore
beforeEach(async () => {
  core = await makeCore()
})
afterEach(() => core.dispose())

describe('the dispatcher every boundary goes through', () => {
  it('answers a valid call with ok and the value', async () => {
    await expect(core.dispatch('settings.get', {})).resolves.toEqual({ ok: true, value: { language: 'en' } })
  })

  it('refuses an unknown call name with a validation error', async () => {
    const result = await core.dispatch('records.dropAll', {})
    expect(result).toEqual({ ok: false, error: { code: 'validation', message: 'Outpost has no call named "records.dropAll".' } })
    await expect(core.dispatch({ toString: () => 'x' }, {})).resolves.toMatchObject({ ok: false, error: { code: 'validation' } })
  })

  it('refuses input of the wrong shape and changes nothing', async () => {
    const wrong = await core.dispatch('settings.update', { language: 'klingon' })
    expect(wrong).toMatchObject({ ok: false, error: { code: 'validation', details: { issues: [{ path: 'language' }] } } })
    const extra = await core.dispatch('settings.update', { language: 'fr', isAdmin: true })
    expect(extra).toMatchObject({ ok: false, error: { code: 'validation' } })
    await expect(core.dispatch('settings.get', {})).resolves.toEqual({ ok: true, value: { language: 'en' } })
    const rows = await core.store.db.selectFrom('settings').selectAll().execute()
    expect(rows).toEqual([])
  })

  it('passes an AppFailure through and hides unknown errors as internal, logging them', async () => {
    const logged: unknown[] = []
    const handlers = {
      ...core.handlers,
      'forms.list': () => Promise.reject(new AppFailure('not_found', 'No forms folder.')),
      'settings.get': () => Promise.reject(new Error('disk I/O error at /secret')),
    }
    const dispatch = createDispatcher(handlers, { error: (message, detail) => logged.push([message, detail]) })
    await expect(dispatch('forms.list', {})).resolves.toEqual({ ok: false, error: { code: 'not_found', message: 'No forms folder.' } })
    const hidden = await dispatch('settings.get', {})
    expect(hidden).toMatchObject({ ok: false, error: { code: 'internal' } })
    expect(JSON.stringify(hidden)).not.toContain('secret')
    expect(logged).toHaveLength(1)
  })

  it('refuses to return a value that breaks the contract', async () => {
    const dispatch = createDispatcher({ ...core.handlers, 'settings.get': () => Promise.resolve({ language: 'xx' } as never) }, { error: () => undefined })
    await expect(dispatch('settings.get', {})).resolves.toMatchObject({ ok: false, error: { code: 'internal' } })
  })
})

describe('the core services', () => {
  it('stores settings and tells listeners', async () => {
    const seen: unknown[] = []
    core.events.subscribe((event) => seen.push(event))
    await expect(core.dispatch('settings.update', { language: 'ar' })).resolves.toEqual({ ok: true, value: { language: 'ar' } })
    expect(seen).toEqual([{ name: 'settings.changed', payload: { language: 'ar' } }])
    await expect(core.handlers['settings.get']({})).resolves.toEqual({ language: 'ar' })
  })

  it('describes itself: version, schema and a stable device id', async () => {
    const info = await core.handlers['app.info']({})
    expect(info).toMatchObject({ name: 'Outpost', version: '0.0.0-test', schemaVersion: readdirSync(migrationsDir).filter((f) => f.endsWith('.sql')).length, shell: 'browser' })
    expect(info.deviceId).toMatch(/^[0-9a-f-]{36}$/)
  })

  it('opens the system file dialog only where there is one, and only for a signed-in person', async () => {
    expect(await core.handlers['app.info']({})).toMatchObject({ fileDialogs: false })
    await expect(core.dispatch('app.chooseFile', { purpose: 'export-csv' })).resolves.toMatchObject({ ok: false, error: { code: 'unavailable' } })

    const asked: unknown[] = []
    const desktop = await makeCore({ chooseFile: (choice) => (asked.push(choice), Promise.resolve(asked.length === 1 ? '/media/usb/x.outpost' : null)) })
    try {
      expect(await desktop.handlers['app.info']({})).toMatchObject({ fileDialogs: true })
      await expect(desktop.dispatch('app.chooseFile', { purpose: 'package-export', suggestedName: 'x.outpost' })).resolves.toEqual({ ok: true, value: { path: '/media/usb/x.outpost' } })
      await expect(desktop.dispatch('app.chooseFile', { purpose: 'package-import' })).resolves.toEqual({ ok: true, value: { path: null } }) // cancelled
      await expect(desktop.dispatch('app.chooseFile', { purpose: 'package-export', suggestedName: '/etc/passwd' })).resolves.toMatchObject({ ok: false, error: { code: 'validation' } })
      await desktop.dispatch('auth.lock', {})
      await expect(desktop.dispatch('app.chooseFile', { purpose: 'export-csv' })).resolves.toMatchObject({ ok: false, error: { code: 'unauthorized' } })
      expect(asked).toEqual([{ purpose: 'package-export', suggestedName: 'x.outpost' }, { purpose: 'package-import' }])
    } finally {
      await desktop.dispose()
    }
  })

  it('lists forms with their latest version and live record count', async () => {
    const db = core.store.db
    await db.insertInto('forms').values({ id: 'f', form_id: 'hh', title: 'Household', created_at: 1, updated_at: 2 }).execute()
    for (const [id, version, at] of [['v1', '1', 1], ['v2', '2', 2]] as const) {
      await db.insertInto('form_versions').values({ id, form_id: 'f', version, title: 'Household', xform: '<x/>', source_name: null, sha256: id, created_at: at }).execute()
    }
    for (const [id, deleted] of [['r1', null], ['r2', null], ['r3', 5]] as const) {
      await db.insertInto('records').values({ id, form_id: 'f', form_version_id: 'v1', instance_name: null, instance_xml: null, created_by: 'u', created_at: 1, updated_by: 'u', updated_at: 1, deleted_at: deleted, deleted_by: null }).execute()
    }
    await expect(core.handlers['forms.list']({})).resolves.toEqual([
      { id: 'f', formId: 'hh', title: 'Household', latestVersion: '2', versionCount: 2, recordCount: 2, updatedAt: 2 },
    ])
  })
})
