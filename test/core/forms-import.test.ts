import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { readXFormHeader } from '../../electron/core/forms/import'
import { makeCore, type TestCore } from '../helpers/core'
import { makeFormMarkdown, toBase64 } from '../helpers/forms'

let core: TestCore
beforeEach(async () => {
  core = await makeCore()
})
afterEach(() => core.dispose())

const importText = (fileName: string, text: string) => core.dispatch('forms.import', { fileName, contentBase64: toBase64(text) })

describe('importing an XLSForm', () => {
  it('compiles and stores a new form, listed with its version', async () => {
    const result = await importText('household.md', makeFormMarkdown({ version: '2026110101' }))
    expect(result).toMatchObject({ ok: true, value: { outcome: 'created', version: '2026110101', form: { formId: 'household', title: 'Household survey', versionCount: 1 } } })
    const stored = await core.store.db.selectFrom('form_versions').select(['xform', 'source_name']).executeTakeFirstOrThrow()
    expect(stored.xform).toContain('<h:title>Household survey</h:title>')
    expect(stored.source_name).toBe('household.md')
  })

  it('changes nothing when the same version is imported again', async () => {
    await importText('household.md', makeFormMarkdown())
    await expect(importText('household.md', makeFormMarkdown())).resolves.toMatchObject({ ok: true, value: { outcome: 'unchanged' } })
    expect(await core.store.db.selectFrom('form_versions').select('id').execute()).toHaveLength(1)
  })

  it('adds a new version beside the old one', async () => {
    await importText('household.md', makeFormMarkdown({ version: '1' }))
    const second = await importText('household.md', makeFormMarkdown({ version: '2', title: 'Household survey v2' }))
    expect(second).toMatchObject({ ok: true, value: { outcome: 'new_version', form: { versionCount: 2, latestVersion: '2', title: 'Household survey v2' } } })
  })

  it('refuses the same version with different content, keeping the stored one', async () => {
    await importText('household.md', makeFormMarkdown({ version: '1' }))
    const clash = await importText('household.md', makeFormMarkdown({ version: '1', relevant: '${size} > 5' }))
    expect(clash).toMatchObject({ ok: false, error: { code: 'conflict' } })
    if (!clash.ok) expect(clash.error.message).toMatch(/raise the version/)
    const versions = await core.store.db.selectFrom('form_versions').select('xform').execute()
    expect(versions).toHaveLength(1)
    expect(versions[0]?.xform).toContain('&gt; 3')
  })

  it('reports every problem of a broken spreadsheet with sheet, row and column, storing nothing', async () => {
    const broken = makeFormMarkdown({ relevant: '${sise} > 3' }).replace('| integer | size    |', '| integr  | size    |')
    const result = await importText('broken.md', broken)
    expect(result.ok).toBe(false)
    if (result.ok) return
    expect(result.error.code).toBe('validation')
    const diagnostics = (result.error.details as { diagnostics: Array<{ sheet?: string; row?: number; message: string }> }).diagnostics
    expect(diagnostics.length).toBeGreaterThanOrEqual(2)
    expect(diagnostics.some((d) => d.sheet === 'survey' && /integr/.test(d.message))).toBe(true)
    expect(diagnostics.some((d) => d.sheet === 'survey' && d.row === 4 && /sise/.test(d.message))).toBe(true)
    expect(await core.store.db.selectFrom('forms').select('id').execute()).toEqual([])
  })

  it('refuses files that are not spreadsheets, and oversized or malformed uploads', async () => {
    await expect(core.dispatch('forms.import', { fileName: 'photo.jpg', contentBase64: toBase64('\xff\xd8') })).resolves.toMatchObject({ ok: false, error: { code: 'validation' } })
    const xls = await core.dispatch('forms.import', { fileName: 'old.xls', contentBase64: toBase64('x') })
    expect(xls.ok ? '' : xls.error.message).toMatch(/"old.xls" could not be read/)
    await expect(core.dispatch('forms.import', { fileName: 'x.md', contentBase64: '***' })).resolves.toMatchObject({ ok: false, error: { code: 'validation' } })
    const notZip = await core.dispatch('forms.import', { fileName: 'x.xlsx', contentBase64: toBase64('PK not a zip') })
    expect(notZip.ok ? '' : notZip.error.message).toMatch(/could not be read/)
  })
})

describe('reading an XForm header', () => {
  it('finds id, version and title, unescaping entities', () => {
    const xml = '<h:html><h:head><h:title>A &amp; B</h:title><model><instance>\n<data id="a_b" version="7"><x/></data></instance></model></h:head></h:html>'
    expect(readXFormHeader(xml)).toEqual({ formId: 'a_b', version: '7', title: 'A & B' })
  })
})
