import { statSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createCore } from '../../electron/core/app-core'
import { createEnrollmentCode } from '../../registry/domain/devices'
import { makeTempDir, migrationsDir } from '../helpers/paths'
import { testSupervisor } from '../helpers/core'
import { system } from '../registry/helpers/harness'
import type { World } from './helpers/world'
import { makeWorld } from './helpers/world'
import { laptopDigest, registryDigest } from './helpers/digest'

describe('sync between laptops and the registry', () => {
  let world: World
  beforeAll(async () => {
    world = await makeWorld()
  })
  afterAll(async () => {
    await world.close()
  })

  it('keeps edits of different fields and records a conflict for the same field', async () => {
    const a = await world.laptop('a')
    const b = await world.laptop('b')
    const id = await a.create({ name: 'Ana', age: 30 })
    await a.sync()
    await b.sync()
    await a.set(id, { name: 'Ana Maria' })
    await b.set(id, { age: 31 })
    await a.set(id, { age: 32 })
    await a.sync()
    await b.sync()
    await a.sync()
    const expected = await registryDigest(world.registry, world.officeId)
    expect(laptopDigest(a.store)).toEqual(expected)
    expect(laptopDigest(b.store)).toEqual(expected)
    const record = expected.records[id]
    expect(record?.values.name).toBe('Ana Maria')
    expect(Object.values(expected.conflicts)).toEqual([{ fieldPath: 'age', resolved: false }])
  })
})

describe('the sync calls of the contract', () => {
  let world: World
  beforeAll(async () => {
    world = await makeWorld()
  })
  afterAll(async () => {
    await world.close()
  })

  it('enrolls with a code, syncs on demand and reports its status', async () => {
    const temp = makeTempDir()
    const core = await createCore({
      dataDir: temp.dir,
      migrationsDir,
      version: '0.0.0-test',
      shell: 'browser',
    })
    await core.auth.setup({ ...testSupervisor }) // sync calls need a signed-in user
    try {
      const before = await core.dispatch('sync.status', {})
      expect(before).toMatchObject({
        ok: true,
        value: { enrolled: false, waiting: 0, conflicts: 0 },
      })
      const { code } = await createEnrollmentCode(world.registry.db, system, {
        office: world.officeId,
      })
      const enrolled = await core.dispatch('sync.enroll', { registryUrl: world.proxy.url, code })
      expect(enrolled).toMatchObject({ ok: true, value: { officeId: world.officeId } })
      expect(statSync(join(temp.dir, 'device-key.json')).mode & 0o777).toBe(0o600)
      const events: unknown[] = []
      core.events.subscribe((event) => {
        if (event.name === 'sync.progress') events.push(event.payload)
      })
      const after = await core.handlers['sync.now']({})
      expect(after).toMatchObject({ enrolled: true, lastError: null, running: false })
      expect(after.lastSuccessAt).toBeGreaterThan(0)
      expect(events.length).toBeGreaterThan(0)
      const forms = await core.handlers['forms.list']({})
      expect(forms).toHaveLength(1) // the office's form arrived with the pull
      expect(await core.dispatch('sync.conflicts', {})).toEqual({ ok: true, value: [] })
      const missing = await core.dispatch('sync.resolve', { conflictId: 'nope', value: 1 })
      expect(missing).toMatchObject({ ok: false, error: { code: 'not_found' } })
    } finally {
      await core.close()
      temp.cleanup()
    }
  })
})
