import { afterAll, beforeAll, describe, expect, it } from 'vitest'
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
