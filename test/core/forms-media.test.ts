import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { FormImportResult } from '../../shared/api'
import { mediaNamesOf } from '../../electron/core/forms/media'
import { FormEngine } from '../../shared/forms/runtime/engine'
import { parseXForm } from '../../shared/forms/runtime/definition'
import { mediaLoader } from '../../renderer/src/form/session'
import { makeCore, type TestCore } from '../helpers/core'
import { makeVillageFormMarkdown, toBase64, villagesCsv } from '../helpers/forms'

let core: TestCore
beforeEach(async () => {
  core = await makeCore()
})
afterEach(() => core.dispose())

const villageForm = (version = '1') => makeVillageFormMarkdown({ version, title: 'Villages' })

async function importWith(media: { fileName: string; text: string }[], version = '1'): Promise<FormImportResult> {
  const result = await core.dispatch('forms.import', {
    fileName: 'villages.md',
    contentBase64: toBase64(villageForm(version)),
    media: media.map((m) => ({ fileName: m.fileName, contentBase64: toBase64(m.text) })),
  })
  if (!result.ok) throw new Error(result.error.message)
  return result.value as FormImportResult
}

async function choicesFor(district: string, formKey: string): Promise<string[]> {
  const form = await core.handlers['forms.get']({ id: formKey, media: true })
  const engine = new FormEngine(parseXForm(form.xform), { loadExternal: mediaLoader(form.media) })
  const districtNode = engine.root.children.find((n) => n.name === 'district')
  const villageNode = engine.root.children.find((n) => n.name === 'village')
  if (!districtNode || !villageNode) throw new Error('questions not found')
  engine.setValue(districtNode, district)
  const control = engine.controlAt(villageNode.path)
  if (!control) throw new Error('no control for the village question')
  return engine.labels.choices(control, villageNode).map((c) => c.value)
}

describe('the files a form reads', () => {
  it('finds every file an XForm names', () => {
    const xform = '<instance id="villages" src="jr://file-csv/villages.csv"/><instance id="p" src="jr://file/places.geojson"/><instance id="x" src="jr://images/a.png"/>'
    expect(mediaNamesOf(xform)).toEqual(['places.geojson', 'villages.csv'])
  })

  it('keeps a CSV given with the spreadsheet, and the form filters it', async () => {
    const result = await importWith([{ fileName: 'villages.csv', text: villagesCsv }])
    expect(result).toMatchObject({ outcome: 'created', media: ['villages.csv'] })
    expect(result.warnings).toEqual([])
    expect(await choicesFor('north', result.form.id)).toEqual(['n1', 'n2'])
    expect(await choicesFor('south', result.form.id)).toEqual(['s1'])
    // A list screen gets no content, only what is missing (nothing here).
    expect(await core.handlers['forms.get']({ id: result.form.id })).toMatchObject({ media: [], missingMedia: [] })
  })

  it('warns about a file the form reads that is missing, and one it does not read', async () => {
    const result = await importWith([{ fileName: 'schools.csv', text: 'name,label\na,A\n' }])
    expect(result.media).toEqual([])
    expect(result.warnings.map((w) => w.message).join('\n')).toMatch(/does not read "schools.csv"[\s\S]*reads "villages.csv", which is not on this laptop/)
    expect(await core.handlers['forms.get']({ id: result.form.id, media: true })).toMatchObject({ media: [], missingMedia: ['villages.csv'] })
  })

  it('adds or replaces files of the same version without a new version', async () => {
    const first = await importWith([])
    const second = await importWith([{ fileName: 'villages.csv', text: villagesCsv }])
    expect(second).toMatchObject({ outcome: 'media_updated', media: ['villages.csv'] })
    expect(second.form.versionCount).toBe(1)
    expect(await importWith([{ fileName: 'villages.csv', text: villagesCsv }])).toMatchObject({ outcome: 'unchanged' })
    const third = await importWith([{ fileName: 'villages.csv', text: 'name,label,district\nn9,New north,north\n' }])
    expect(third.outcome).toBe('media_updated')
    expect(await choicesFor('north', first.form.id)).toEqual(['n9'])
  })

  it('reads a register HQ published under the same name before the imported file', async () => {
    const result = await importWith([{ fileName: 'villages.csv', text: villagesCsv }])
    core.store.sqlite
      .prepare("INSERT INTO registers (id, name, title, csv, entries, stale, updated_at) VALUES ('r1', 'villages', 'Villages', ?, 1, 0, 0)")
      .run('name,label,district\nhq1,From HQ,north\n')
    expect(await choicesFor('north', result.form.id)).toEqual(['hq1'])
    const form = await core.handlers['forms.get']({ id: result.form.id, media: true })
    expect(form.media).toEqual([{ name: 'villages.csv', text: expect.stringContaining('hq1') as string, source: 'register' }])
  })

  it('refuses a file no form can read', async () => {
    const refused = await core.dispatch('forms.import', { fileName: 'villages.md', contentBase64: toBase64(villageForm()), media: [{ fileName: 'photo.png', contentBase64: toBase64('x') }] })
    expect(refused).toMatchObject({ ok: false, error: { code: 'validation' } })
  })

  it('exports the labels of answers chosen from the file', async () => {
    const result = await importWith([{ fileName: 'villages.csv', text: villagesCsv }])
    const form = await core.handlers['forms.get']({ id: result.form.id })
    await core.handlers['records.create']({ formVersionId: form.formVersionId, values: { district: 'north', village: 'n2' }, status: 'complete' })
    const out = join(core.dataDir, 'villages-export.csv')
    await core.handlers['records.export']({ formId: result.form.id, format: 'csv', outputPath: out, labels: true })
    const [header = '', row = ''] = readFileSync(out, 'utf8').replace(/^\uFEFF/, '').split(/\r?\n/)
    const cells = Object.fromEntries(header.split(',').map((name, i) => [name, row.split(',')[i]]))
    expect(cells).toMatchObject({ district: 'North', village: 'Nordham' })
  })
})

