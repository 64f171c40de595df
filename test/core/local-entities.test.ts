import { uuidv7 } from 'uuidv7'
import { afterEach, describe, expect, it } from 'vitest'
import type { Store } from '../../electron/core/db/open'
import { registerWithLocalEntities } from '../../electron/core/forms/local-entities'
import { createRecord, deleteRecord, type Actor } from '../../electron/core/records/ops'
import { registerCsv } from '../../electron/core/sync/registers'
import type { RegisterEntity } from '../../electron/core/sync/transport'
import { parseCsv } from '../../shared/csv'
import { compileWorkbook, readMarkdown } from '../../shared/xlsform/index'
import { householdRegistrationMarkdown, householdVisitMarkdown } from '../helpers/forms'
import { tempStore } from '../helpers/store'

// The register a form reads on the laptop: HQ's copy with this laptop's own completed
// registrations and visits on top until HQ's copy shows them (electron/core/forms/local-entities.ts).
// End to end through sync in test/sync/entities.test.ts; here every rule on a real SQLite file.

const xformOf = (markdown: string) => {
  const compiled = compileWorkbook(readMarkdown(markdown), { formName: 'data' })
  if (!compiled.xml) throw new Error(compiled.errors.map((e) => e.message).join('\n'))
  return compiled.xml
}

const cleanups: Array<() => Promise<void>> = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup()
})

async function laptop(): Promise<{ store: Store; actor: Actor }> {
  const { store, actor, cleanup } = await tempStore((db) => {
    const addForm = db.prepare('INSERT INTO forms (id, form_id, title, created_at, updated_at) VALUES (?, ?, ?, 1, 1)')
    const addVersion = db.prepare("INSERT INTO form_versions (id, form_id, version, title, xform, sha256, created_at) VALUES (?, ?, '1', ?, ?, ?, 1)")
    addForm.run('freg', 'hh_reg', 'Registration')
    addVersion.run('reg', 'freg', 'Registration', xformOf(householdRegistrationMarkdown), 'a')
    addForm.run('fvisit', 'hh_visit', 'Visit')
    addVersion.run('visit', 'fvisit', 'Visit', xformOf(householdVisitMarkdown), 'b')
  })
  cleanups.push(cleanup)
  return { store, actor }
}

const block = (dataset: string, id: string, action: 'create' | 'update', base = '') => ({
  'meta/entity/@dataset': dataset,
  'meta/entity/@id': id,
  [`meta/entity/@${action}`]: '1',
  ...(action === 'update' ? { 'meta/entity/@baseVersion': base } : {}),
})

const register = (laptop: { store: Store; actor: Actor }) => ({
  registration: (id: string, head: string, size: number, status: 'complete' | 'draft' = 'complete', dataset = 'households') =>
    createRecord(laptop.store, laptop.actor, 'reg', { hh_name: head, size, 'meta/entity/label': head, ...block(dataset, id, 'create') }, { status }),
  visit: (id: string, size: number, base: string) =>
    createRecord(laptop.store, laptop.actor, 'visit', { hh: id, size, ...block('households', id, 'update', base) }, { status: 'complete' }),
})

const rowsOf = (csv: string | undefined) => {
  const [header = [], ...rows] = parseCsv(csv ?? '')
  return new Map(rows.map((row) => [row[0], Object.fromEntries(header.map((h, i) => [h, row[i]]))]))
}

const hq = (entries: Omit<RegisterEntity, 'deleted'>[]) => registerCsv(entries.map((e) => ({ ...e, deleted: false }))).csv

describe("the register a form reads on a laptop", () => {
  it('shows completed offline registrations and visits before HQ ever sent the register', async () => {
    const l = await laptop()
    const [amina, bako, draft, gone, other] = [uuidv7(), uuidv7(), uuidv7(), uuidv7(), uuidv7()]
    await register(l).registration(amina, 'Amina', 4)
    await register(l).registration(bako, 'Bako', 2)
    await register(l).registration(draft, 'Not finished', 1, 'draft')
    await deleteRecord(l.store, l.actor, (await register(l).registration(gone, 'Deleted', 3)).id)
    await register(l).registration(other, 'Another list', 3, 'complete', 'schools')
    await register(l).visit(amina, 5, '')

    const rows = rowsOf(registerWithLocalEntities(l.store.sqlite, 'households', undefined))
    expect([...rows.keys()]).toEqual([amina, bako])
    expect(rows.get(amina)).toMatchObject({ label: 'Amina', head: 'Amina', size: '5' })
    expect(rows.get(bako)).toMatchObject({ label: 'Bako', head: 'Bako', size: '2' })
    expect(registerWithLocalEntities(l.store.sqlite, 'villages', undefined)).toBeUndefined()
  })

  it("puts visits on top of HQ's copy until HQ's revision passes them, and never repeats an entry HQ has", async () => {
    const l = await laptop()
    const [yaw, esi, zainab] = [uuidv7(), uuidv7(), uuidv7()]
    // Registered here and already in HQ's copy; Esi came from elsewhere.
    await register(l).registration(yaw, 'Yaw', 2)
    const atRevision = (yawRevision: number, yawSize: string) =>
      hq([
        { entityId: yaw, label: 'Yaw', values: { head: 'Yaw', size: yawSize }, revision: yawRevision },
        { entityId: esi, label: 'Esi', values: { head: 'Esi', size: '7' }, revision: 1 },
      ])
    const first = atRevision(1, '2')
    // Nothing of the laptop's shows: the very copy HQ sent is what the form reads.
    expect(registerWithLocalEntities(l.store.sqlite, 'households', first)).toBe(first)

    await register(l).visit(yaw, 9, '1')
    await register(l).registration(zainab, 'Zainab', 5)
    let rows = rowsOf(registerWithLocalEntities(l.store.sqlite, 'households', first))
    expect([...rows.keys()]).toEqual([yaw, esi, zainab])
    expect(rows.get(yaw)).toMatchObject({ size: '9', __version: '2' })
    expect(rows.get(esi)).toMatchObject({ size: '7', __version: '1' })
    expect(rows.get(zainab)).toMatchObject({ label: 'Zainab', size: '5', __version: '' })

    // A second visit made from the first is based on it: revision 3 here.
    await register(l).visit(yaw, 10, '2')
    rows = rowsOf(registerWithLocalEntities(l.store.sqlite, 'households', first))
    expect(rows.get(yaw)).toMatchObject({ size: '10', __version: '3' })

    // HQ applied the first visit (revision 2) but not the second: only the second shows.
    rows = rowsOf(registerWithLocalEntities(l.store.sqlite, 'households', atRevision(2, '9')))
    expect(rows.get(yaw)).toMatchObject({ size: '10', __version: '3' })
    // HQ has both (and someone else's change after them): HQ's copy is the truth again.
    rows = rowsOf(registerWithLocalEntities(l.store.sqlite, 'households', atRevision(4, '11')))
    expect(rows.get(yaw)).toMatchObject({ size: '11', __version: '4' })
    expect([...rows.keys()].filter((id) => id === zainab)).toHaveLength(1)
  })

  it('reads an entry registered and visited here the same with or without HQ having sent a copy', async () => {
    const l = await laptop()
    const kofi = uuidv7()
    await register(l).registration(kofi, 'Kofi', 3)
    await register(l).visit(kofi, 6, '')
    const esi = uuidv7()
    const withHq = rowsOf(registerWithLocalEntities(l.store.sqlite, 'households', hq([{ entityId: esi, label: 'Esi', values: { head: 'Esi', size: '7' }, revision: 1 }])))
    const without = rowsOf(registerWithLocalEntities(l.store.sqlite, 'households', undefined))
    expect(withHq.get(kofi)).toMatchObject({ label: 'Kofi', head: 'Kofi', size: '6', __version: '' })
    expect(without.get(kofi)).toMatchObject({ label: 'Kofi', head: 'Kofi', size: '6' })
  })
})
