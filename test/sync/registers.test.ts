import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { getFormVersion } from '../../electron/core/forms/get'
import { registerCsv } from '../../electron/core/sync/registers'
import { editEntity, importRegisterCsv, publishRegister } from '../../registry/domain/registers'
import { system } from '../registry/helpers/harness'
import type { World } from './helpers/world'
import { makeWorld } from './helpers/world'

const registerRow = (laptop: Awaited<ReturnType<World['laptop']>>, name: string) =>
  laptop.store.sqlite.prepare('SELECT csv, entries, stale FROM registers WHERE name = ?').get(name) as { csv: string; entries: number; stale: number } | undefined

describe('registers HQ publishes to an office', () => {
  let world: World
  beforeAll(async () => {
    world = await makeWorld()
  })
  afterAll(() => world.close())

  it('writes a register as ODK reads an entity list: name, label, properties, no deleted entries, quoted as needed', () => {
    const { csv, entries } = registerCsv([
      { entityId: 'v1', label: 'Nordville', values: { district: 'north', note: 'by the river, "old" mill' }, deleted: false },
      { entityId: 'v2', label: 'Gone', values: { district: 'north' }, deleted: true },
      { entityId: 'v3', label: 'Sudburg', values: { district: 'south', population: 1200 }, deleted: false },
    ])
    expect(entries).toBe(2)
    expect(csv).toBe('name,label,district,note,population\nv1,Nordville,north,"by the river, ""old"" mill",\nv3,Sudburg,south,,1200\n')
  })

  it('come down with sync, follow HQ edits, and feed the forms that read <name>.csv', async () => {
    const laptop = await world.laptop('registers')
    await importRegisterCsv(world.registry.db, system, { name: 'villages', title: 'Villages', csv: 'name,label,district\nn1,Nordville,north\ns1,Sudburg,south\n' })
    await importRegisterCsv(world.registry.db, system, { name: 'clinics', csv: 'name,label\nc1,Clinic one\n' }) // not published here
    await publishRegister(world.registry.db, system, 'villages', [world.officeId])
    await laptop.sync()
    expect(registerRow(laptop, 'villages')).toMatchObject({ entries: 2, stale: 0 })
    expect(registerRow(laptop, 'villages')?.csv).toContain('n1,Nordville,north')
    expect(registerRow(laptop, 'clinics')).toBeUndefined()

    // HQ corrects one entry and adds another: the next sync brings the register up to date.
    await editEntity(world.registry.db, system, 'villages', { entityId: 's1', label: 'Sudburg (new name)', values: { district: 'south' } })
    await importRegisterCsv(world.registry.db, system, { name: 'villages', csv: 'name,label,district\nn1,Nordville,north\ns1,Sudburg (new name),south\nn2,Nordham,north\n' })
    await laptop.sync()
    const after = registerRow(laptop, 'villages')
    expect(after).toMatchObject({ entries: 3, stale: 0 })
    expect(after?.csv).toContain('s1,Sudburg (new name),south')

    // A form that reads villages.csv gets the register, with no file imported.
    const versionId = '01900000-0000-7000-8000-00000000f00d'
    const formKey = (laptop.store.sqlite.prepare('SELECT id FROM forms LIMIT 1').get() as { id: string }).id
    laptop.store.sqlite
      .prepare("INSERT INTO form_versions (id, form_id, version, title, xform, sha256, created_at) VALUES (?, ?, 'media', 'Visits', ?, 'x', 9e12)")
      .run(versionId, formKey, '<h:html><h:head><model><instance id="villages" src="jr://file-csv/villages.csv"/></model></h:head></h:html>')
    const form = await getFormVersion(laptop.store, formKey, versionId, true)
    expect(form.missingMedia).toEqual([])
    expect(form.media).toEqual([{ name: 'villages.csv', source: 'register', text: after?.csv }])
  })
})
