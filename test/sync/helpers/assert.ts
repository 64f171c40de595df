import { expect } from 'vitest'
import type { Laptop, World } from './world'
import { laptopDigest, registryDigest } from './digest'

/** Syncs every laptop until a round changes nothing, then expects every replica to be equal. */
export async function expectConverged(world: World, laptops: readonly Laptop[]): Promise<void> {
  for (let round = 0; round < 2; round++) for (const laptop of laptops) await laptop.sync()
  const expected = await registryDigest(world.registry, world.officeId)
  for (const laptop of laptops) expect(laptopDigest(laptop.store), laptop.name).toEqual(expected)
}

/** Ops this laptop made, as the registry holds them: each exactly once. */
export async function registryOpsFrom(world: World, laptop: Laptop): Promise<number> {
  const ids = (
    laptop.store.sqlite
      .prepare('SELECT id FROM record_ops WHERE device_id = ?')
      .all(laptop.device.id) as { id: string }[]
  ).map((r) => r.id)
  if (ids.length === 0) return 0
  const rows = await world.registry.db
    .selectFrom('record_ops')
    .select('op_id')
    .where('op_id', 'in', ids)
    .execute()
  return rows.length
}
