import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { exportPackageFile } from '../../registry/domain/packages'
import { editEntity, importRegisterCsv, publishRegister } from '../../registry/domain/registers'
import { makeTempDir } from '../helpers/paths'
import { system } from '../registry/helpers/harness'
import type { World } from '../sync/helpers/world'
import { makeWorld } from '../sync/helpers/world'
import { officeImport, registryDeviceId } from './world'

/** An office with no network receives its registers (village lists…) on the USB return package. */
describe('registers on a USB return package', () => {
  let world: World
  const temp = makeTempDir('outpost-pkg-registers-')
  beforeAll(async () => {
    world = await makeWorld()
  })
  afterAll(async () => {
    await world.close()
    temp.cleanup()
  })

  it('arrive whole with the feed that announced them, ready for forms, and follow HQ edits', async () => {
    const a = await world.laptop('usb-registers')
    world.proxy.down() // this office has no network at all
    await importRegisterCsv(world.registry.db, system, { name: 'villages', title: 'Villages', csv: 'name,label,district\nn1,Nordville,north\ns1,Sudburg,south\n' })
    await publishRegister(world.registry.db, system, 'villages', [world.officeId])
    const row = () => a.store.sqlite.prepare("SELECT csv, entries, stale FROM registers WHERE name = 'villages'").get() as { csv: string; entries: number; stale: number } | undefined
    expect(row()).toBeUndefined()

    const first = join(temp.dir, 'first.outpost')
    await exportPackageFile(world.registry.db, { deviceId: registryDeviceId(a), path: first })
    await officeImport(a, first)
    expect(row()).toMatchObject({ entries: 2, stale: 0 })
    expect(row()?.csv).toContain('s1,Sudburg,south')

    await editEntity(world.registry.db, system, 'villages', { entityId: 's1', label: 'Sudburg', values: { district: 'south' }, deleted: true })
    const second = join(temp.dir, 'second.outpost')
    await exportPackageFile(world.registry.db, { deviceId: registryDeviceId(a), path: second, after: '' })
    await officeImport(a, second)
    expect(row()).toMatchObject({ entries: 1, stale: 0 })
    expect(row()?.csv).not.toContain('Sudburg')
  })
})
