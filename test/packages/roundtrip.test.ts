import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { main as cli } from '../../electron/core/cli/main'
import { exportPackageFile, importPackageFile } from '../../registry/domain/packages'
import { refusalReasonOf } from '../../shared/packages/refusal'
import { makeTempDir } from '../helpers/paths'
import { laptopDigest, registryDigest } from '../sync/helpers/digest'
import type { World } from '../sync/helpers/world'
import { makeWorld } from '../sync/helpers/world'
import { officeExport, officeImport, officeInspect, registryDeviceId, waiting } from './world'

async function refusal(promise: Promise<unknown>): Promise<string | null> {
  try {
    await promise
    return 'accepted'
  } catch (error) {
    return refusalReasonOf(error) ?? String(error)
  }
}

describe('USB packages between an office and HQ', () => {
  let world: World
  const temp = makeTempDir('outpost-packages-')
  beforeAll(async () => {
    world = await makeWorld()
  })
  afterAll(async () => {
    await world.close()
    temp.cleanup()
  })

  it('carries records office → HQ → office: applied once, acknowledged, corrections back', async () => {
    const a = await world.laptop('usb-a')
    const ids = [await a.create({ name: 'Ana', age: 30 }), await a.create({ name: 'Bo', age: 41 })]
    await a.set(ids[0] ?? '', { age: 31 })
    expect(waiting(a)).toBe(3)

    const out = join(temp.dir, 'office-1.outpost')
    const summary = await officeExport(a, out)
    expect(summary).toMatchObject({ records: 2, ops: 3, attachments: 0 })
    const applied = await importPackageFile(world.registry.db, out)
    expect(applied).toMatchObject({ newOps: 3, knownOps: 0 })
    const hq = await registryDigest(world.registry, world.officeId)
    expect(Object.keys(hq.records).sort()).toEqual([...ids].sort())
    expect(await refusal(importPackageFile(world.registry.db, out))).toBe('already_applied')
    expect(await registryDigest(world.registry, world.officeId)).toEqual(hq)

    const reply = await world.registry.call('POST', `/v1/hq/records/${ids[1]}/corrections`, {
      token: world.hqToken,
      body: { changes: [{ fieldPath: 'age', value: 42 }] },
    })
    expect(reply.status).toBe(200)

    const back = join(temp.dir, 'return-1.outpost')
    const exported = await exportPackageFile(world.registry.db, { deviceId: registryDeviceId(a), path: back })
    expect(exported.changes).toBeGreaterThanOrEqual(4)
    const info = await officeInspect(a, back)
    expect(info).toMatchObject({ source: { kind: 'registry' }, alreadyApplied: false })
    const result = await officeImport(a, back)
    expect(result).toMatchObject({ acknowledged: 3, newOps: 1 })
    expect(waiting(a)).toBe(0)
    expect(laptopDigest(a.store)).toEqual(await registryDigest(world.registry, world.officeId))
    expect(laptopDigest(a.store).records[ids[1] ?? '']?.values.age).toBe(42)

    const before = laptopDigest(a.store)
    expect(await refusal(officeImport(a, back))).toBe('already_applied')
    expect(laptopDigest(a.store)).toEqual(before)
    // The command line reads the same laptop: inspect shows the manifest, import says it is done.
    const lines: string[] = []
    const io = { out: (text: string) => lines.push(text), err: (text: string) => lines.push(text) }
    expect(await cli(['package', 'inspect', back, '--data', a.dir], io)).toBe(0)
    expect(JSON.parse(lines[0] ?? '{}')).toMatchObject({ alreadyApplied: true, source: { kind: 'registry' } })
    expect(await cli(['package', 'import', back, '--data', a.dir], io)).toBe(0)
    expect(lines[1]).toContain('Nothing was changed.')
    expect(await cli(['package', 'import'], io)).toBe(2)
    // Online sync afterwards has nothing to resend and converges.
    await a.sync()
    expect(laptopDigest(a.store)).toEqual(await registryDigest(world.registry, world.officeId))
  })
})
