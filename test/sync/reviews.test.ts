import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { setStatus } from '../../electron/core/records/ops'
import { expectConverged } from './helpers/assert'
import { registryDigest } from './helpers/digest'
import type { Laptop, World } from './helpers/world'
import { makeWorld } from './helpers/world'

function localRecord(laptop: Laptop, id: string): { status: string } {
  return laptop.store.sqlite.prepare('SELECT status FROM records WHERE id = ?').get(id) as {
    status: string
  }
}

describe('HQ review decisions', () => {
  let world: World
  beforeAll(async () => {
    world = await makeWorld()
  })
  afterAll(async () => {
    await world.close()
  })

  const review = async (id: string, body: Record<string, unknown>): Promise<void> => {
    const reply = await world.registry.call('POST', `/v1/hq/records/${id}/review`, {
      token: world.hqToken,
      body,
    })
    expect(reply.status).toBe(204)
  }

  it('reach the laptop as the record status, in its history, with the comment', async () => {
    const a = await world.laptop('review-a')
    const b = await world.laptop('review-b')
    const approved = await a.create({ name: 'good' })
    const rejected = await a.create({ name: 'bad' })
    await setStatus(a.store, a.actor, approved, 'complete')
    await setStatus(a.store, a.actor, rejected, 'complete')
    await a.sync()
    await review(approved, { state: 'approved' })
    await review(rejected, { state: 'rejected', comment: 'the name is wrong' })
    await a.sync()
    await b.sync()
    for (const laptop of [a, b]) {
      expect(localRecord(laptop, approved).status).toBe('approved')
      expect(localRecord(laptop, rejected).status).toBe('rejected')
      const history = laptop.store.sqlite
        .prepare(
          "SELECT kind, new_value, device_id FROM record_ops WHERE record_id = ? AND kind = 'status' ORDER BY hlc",
        )
        .all(rejected) as { kind: string; new_value: string; device_id: string }[]
      expect(history.at(-1)).toEqual({
        kind: 'status',
        new_value: '"rejected"',
        device_id: 'registry',
      })
      expect(
        laptop.store.sqlite
          .prepare('SELECT state, comment FROM sync_reviews WHERE record_id = ?')
          .get(rejected),
      ).toEqual({ state: 'rejected', comment: 'the name is wrong' })
    }
    const digest = await registryDigest(world.registry, world.officeId)
    expect(digest.records[approved]?.status).toBe('approved')
    await expectConverged(world, [a, b])
  })

  it('conflict with a status change made on a laptop at the same time, like any other key', async () => {
    const a = await world.laptop('review-conflict')
    const id = await a.create({ name: 'disputed' })
    await setStatus(a.store, a.actor, id, 'complete')
    await a.sync()
    await review(id, { state: 'approved' })
    await setStatus(a.store, a.actor, id, 'draft') // offline, not having seen HQ's decision
    await a.sync()
    const digest = await registryDigest(world.registry, world.officeId)
    const conflicts = Object.values(digest.conflicts).filter((c) => c.fieldPath === '#status')
    expect(conflicts).toEqual([{ fieldPath: '#status', resolved: false }])
    const local = a.store.sqlite
      .prepare(
        "SELECT value_a, value_b FROM sync_conflicts WHERE record_id = ? AND field_path = '#status'",
      )
      .get(id) as { value_a: string; value_b: string }
    expect([local.value_a, local.value_b].sort()).toEqual(['"approved"', '"draft"'])
    await expectConverged(world, [a])
  })
})
