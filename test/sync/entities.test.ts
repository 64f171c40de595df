import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { getFormVersion } from '../../electron/core/forms/get'
import { createRecord, setStatus } from '../../electron/core/records/ops'
import { parseCsv } from '../../shared/csv'
import { listEntityConflicts, mayApplyEntities, resolveEntityConflict } from '../../registry/domain/entities'
import { publishFormVersion, uploadForm } from '../../registry/domain/forms'
import { readEntities } from '../../registry/domain/registers'
import { parseXForm } from '../../shared/forms/runtime/definition'
import { FormEngine } from '../../shared/forms/runtime/engine'
import { externalInstance } from '../../shared/forms/runtime/external'
import { projectInstance } from '../../shared/forms/runtime/serialize'
import type { SyncOp } from '../../shared/sync/ops'
import { system } from '../registry/helpers/harness'
import type { Laptop, World } from './helpers/world'
import { makeWorld } from './helpers/world'
import { householdRegistrationMarkdown as registration, householdVisitMarkdown as visit } from '../helpers/forms'

const idOf = (values: Record<string, unknown>): string => {
  const id = values['meta/entity/@id']
  if (typeof id !== 'string') throw new Error('the form made no entity id')
  return id
}

const registerRow = (laptop: Laptop) =>
  laptop.store.sqlite.prepare("SELECT csv, entries FROM registers WHERE name = 'households'").get() as { csv: string; entries: number } | undefined

describe('ODK entities made offline reach the register and every office', () => {
  let world: World
  let registrationId: string
  let visitId: string
  let a: Laptop
  let b: Laptop

  beforeAll(async () => {
    world = await makeWorld()
    const upload = async (text: string, fileName: string) => {
      const version = await uploadForm(world.registry.db, system, { bytes: Buffer.from(text), fileName })
      await publishFormVersion(world.registry.db, system, version.id, [world.officeId])
      return version.id
    }
    registrationId = await upload(registration, 'hh_reg.md')
    visitId = await upload(visit, 'hh_visit.md')
    a = await world.laptop('entities-a')
    b = await world.laptop('entities-b')
    await a.sync()
    await b.sync()
  })
  afterAll(() => world.close())

  /** The record as the form screen saves it: the runtime's own projection of the filled form. */
  function registrationValues(laptop: Laptop, head: string, size: string) {
    const { xform } = laptop.store.sqlite.prepare('SELECT xform FROM form_versions WHERE id = ?').get(registrationId) as { xform: string }
    const definition = parseXForm(xform)
    const engine = new FormEngine(definition)
    engine.setValue(engine.nodesAt(`/${definition.primary.name}/hh_name`)[0]!, head)
    engine.setValue(engine.nodesAt(`/${definition.primary.name}/size`)[0]!, size)
    return projectInstance(engine)
  }

  /** A visit filled on a laptop from the register it holds: the runtime reads the base version. */
  async function visitValues(laptop: Laptop, entityId: string, answers: Record<string, string>) {
    // What the fill screen gets: the form and the lists it reads (forms.get with media).
    const { form_id: formId } = laptop.store.sqlite.prepare('SELECT form_id FROM form_versions WHERE id = ?').get(visitId) as { form_id: string }
    const form = await getFormVersion(laptop.store, formId, visitId, true)
    const csv = form.media.find((m) => m.name === 'households.csv')?.text ?? ''
    const definition = parseXForm(form.xform)
    const engine = new FormEngine(definition, { loadExternal: (src) => externalInstance(src, csv) })
    const root = `/${definition.primary.name}`
    engine.setValue(engine.nodesAt(`${root}/hh`)[0]!, entityId)
    for (const [name, value] of Object.entries(answers)) engine.setValue(engine.nodesAt(`${root}/${name}`)[0]!, value)
    return projectInstance(engine)
  }

  const entry = async (entityId: string) => {
    const exists = await world.registry.db.selectFrom('registers').select('id').where('name', '=', 'households').executeTakeFirst()
    return exists ? (await readEntities(world.registry.db, system, 'households')).find((e) => e.entityId === entityId) : undefined
  }

  it('creates the entry when the registration is complete, not while it is a draft', async () => {
    const values = registrationValues(a, 'Amina', '4')
    const entityId = idOf(values)
    const { id } = await createRecord(a.store, a.actor, registrationId, values)
    await a.sync()
    expect(await entry(entityId)).toBeUndefined()

    await setStatus(a.store, a.actor, id, 'complete')
    await a.sync()
    expect(await entry(entityId)).toMatchObject({ label: 'Amina', values: { head: 'Amina', size: '4' }, revision: 1, deleted: false })

    // The other laptop of the office gets the register with its next sync, for its visit forms.
    await b.sync()
    expect(registerRow(b)?.csv).toContain(`${entityId},Amina,Amina,4,1`)
    // A replay of the same ops changes nothing (the block is applied once per record).
    await a.sync()
    expect((await entry(entityId))?.revision).toBe(1)
  })

  it('merges updates made from the same revision: other properties both stand, the same one is a conflict HQ resolves', async () => {
    const values = registrationValues(a, 'Kofi', '3')
    const entityId = idOf(values)
    await createRecord(a.store, a.actor, registrationId, values, { status: 'complete' })
    await a.sync()
    await b.sync()

    // Both laptops visit the household offline, from revision 1.
    // As ODK forms do, the visit shows the current head (a blank answer blanks the property).
    const fromA = await visitValues(a, entityId, { head: 'Kofi', size: '5' })
    expect(fromA).toMatchObject({ 'meta/entity/@id': entityId, 'meta/entity/@update': '1', 'meta/entity/@baseVersion': '1' })
    await createRecord(a.store, a.actor, visitId, fromA, { status: 'complete' })
    await createRecord(b.store, b.actor, visitId, await visitValues(b, entityId, { size: '6', head: 'Kofi Mensah' }), { status: 'complete' })
    await a.sync()
    expect(await entry(entityId)).toMatchObject({ values: { head: 'Kofi', size: '5' }, revision: 2 })
    await b.sync()
    // The head changed on one side only: it stands. The size changed on both: the later write
    // stands everywhere and both values wait for HQ.
    expect(await entry(entityId)).toMatchObject({ label: 'Kofi', values: { head: 'Kofi Mensah', size: '6' }, revision: 3 })
    const conflicts = (await listEntityConflicts(world.registry.db, system)).filter((c) => c.entityId === entityId)
    expect(conflicts).toMatchObject([{ register: 'households', property: 'size', baseRevision: 1, revision: 3, theirs: '5', ours: '6' }])

    await resolveEntityConflict(world.registry.db, system, conflicts[0]!.id, '5')
    expect(await entry(entityId)).toMatchObject({ values: { head: 'Kofi Mensah', size: '5' }, revision: 4 })
    expect((await listEntityConflicts(world.registry.db, system)).filter((c) => c.entityId === entityId)).toEqual([])
    await expect(resolveEntityConflict(world.registry.db, system, conflicts[0]!.id, '6')).rejects.toMatchObject({ code: 'conflict' })
    await a.sync()
    expect(registerRow(a)?.csv).toContain(`${entityId},Kofi,Kofi Mensah,5,4`)
  })

  it('refuses a block that cannot apply, keeps the record, and sends the rest', async () => {
    const missing = '01900000-0000-7000-8000-0000000000e1'
    const { id } = await createRecord(a.store, a.actor, visitId, { ...(await visitValues(a, missing, { size: '2' })), 'meta/entity/@baseVersion': '1' }, { status: 'complete' })
    const fromTheFuture = registrationValues(a, 'Esi', '2')
    await createRecord(a.store, a.actor, registrationId, fromTheFuture, { status: 'complete' })
    await a.sync()
    const refused = await world.registry.db.selectFrom('entity_actions').selectAll().where('record_id', '=', id).executeTakeFirstOrThrow()
    expect(refused).toMatchObject({ outcome: 'refused', entity_id: missing })
    expect(refused.reason).toContain('no entry')
    expect(await world.registry.db.selectFrom('records').select('id').where('id', '=', id).executeTakeFirst()).toBeDefined()
    expect(await entry(idOf(fromTheFuture))).toMatchObject({ label: 'Esi' })
  })

  it('shows a laptop its own offline registrations and visits in the list its forms read, until HQ has them', async () => {
    const c = await world.laptop('entities-offline')
    await c.sync()
    const yaw = registrationValues(c, 'Yaw', '2')
    await createRecord(c.store, c.actor, registrationId, yaw, { status: 'complete' })
    await c.sync()
    const households = async () => {
      const formId = (c.store.sqlite.prepare('SELECT form_id FROM form_versions WHERE id = ?').get(visitId) as { form_id: string }).form_id
      const form = await getFormVersion(c.store, formId, visitId, true)
      const [header = [], ...rows] = parseCsv(form.media.find((m) => m.name === 'households.csv')?.text ?? '')
      return new Map(rows.map((row) => [row[0], Object.fromEntries(header.map((h, i) => [h, row[i]]))]))
    }
    expect((await households()).get(idOf(yaw))).toMatchObject({ label: 'Yaw', size: '2', __version: '1' })

    // Offline: a visit to Yaw, a new household, and a draft that is not finished.
    await createRecord(c.store, c.actor, visitId, await visitValues(c, idOf(yaw), { head: 'Yaw', size: '9' }), { status: 'complete' })
    const zainab = registrationValues(c, 'Zainab', '5')
    await createRecord(c.store, c.actor, registrationId, zainab, { status: 'complete' })
    const draft = registrationValues(c, 'Not yet', '1')
    await createRecord(c.store, c.actor, registrationId, draft)
    const offline = await households()
    expect(offline.get(idOf(yaw))).toMatchObject({ size: '9', __version: '2' })
    expect(offline.get(idOf(zainab))).toMatchObject({ label: 'Zainab', head: 'Zainab', size: '5', __version: '' })
    expect(offline.has(idOf(draft))).toBe(false)
    // A second visit made offline is based on the first, not on HQ's revision.
    expect((await visitValues(c, idOf(yaw), { size: '10' }))['meta/entity/@baseVersion']).toBe('2')

    await c.sync()
    const synced = await households()
    expect(synced.get(idOf(yaw))).toMatchObject({ size: '9', __version: '2' })
    expect(synced.get(idOf(zainab))).toMatchObject({ label: 'Zainab', __version: '1' })
    expect([...synced.keys()].filter((id) => id === idOf(zainab))).toHaveLength(1)
    expect((await listEntityConflicts(world.registry.db, system)).filter((conflict) => conflict.entityId === idOf(yaw))).toEqual([])
  })

  it('costs a push without entity forms no query', () => {
    const op = (kind: SyncOp['kind'], fieldPath: string, newValue: unknown) => ({ kind, fieldPath, newValue }) as SyncOp
    expect(mayApplyEntities([op('create', '', { values: { name: 'x' }, status: 'complete' })])).toBe(false)
    expect(mayApplyEntities([op('set', 'age', 3), op('status', '', 'draft')])).toBe(false)
    expect(mayApplyEntities([op('create', '', { values: { 'meta/entity/@id': 'e' } })])).toBe(true)
    expect(mayApplyEntities([op('status', '', 'complete')])).toBe(true)
    expect(mayApplyEntities([op('set', 'meta/entity/label', 'Ama')])).toBe(true)
    expect(mayApplyEntities([op('revert', 'age', 3), op('delete', '', null)])).toBe(false)
  })
})
