import { spawn } from 'node:child_process'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { readNumber, readState } from '../../electron/core/sync/state'
import { readChanges } from '../../registry/domain/feed'
import { expectConverged, registryOpsFrom } from './helpers/assert'
import { laptopDigest } from './helpers/digest'
import type { World } from './helpers/world'
import { makeWorld } from './helpers/world'

const child = join(import.meta.dirname, 'helpers', 'kill-child.ts')

/** Runs a sync in another process that SIGKILLs itself at the moment named (the registry runs in this one, so never block). */
function syncAndDie(dir: string, moment: 'push' | 'pull'): Promise<NodeJS.Signals | null> {
  const run = spawn(process.execPath, ['--import', 'tsx', child, dir, moment], { stdio: 'ignore' })
  return new Promise((resolve, reject) => {
    run.on('error', reject)
    run.on('exit', (_code, signal) => resolve(signal))
  })
}

describe('a laptop process killed between its data and its cursor', () => {
  let world: World
  beforeAll(async () => {
    world = await makeWorld()
  })
  afterAll(async () => {
    await world.close()
  })

  it('after the registry committed a batch and before the push cursor: the batch lands once', async () => {
    const a = await world.laptop('kill-push')
    for (let i = 0; i < 120; i++) await a.create({ name: `k${i}` })
    expect(await syncAndDie(a.dir, 'push')).toBe('SIGKILL')
    await a.reopen()
    expect(a.client.status().waiting).toBe(70) // batch 0 acknowledged; batch 1 committed, not acknowledged
    expect(await registryOpsFrom(world, a)).toBe(100)
    await a.sync()
    expect(readNumber(a.store.sqlite, 'acked_ops')).toBe(120)
    expect(await registryOpsFrom(world, a)).toBe(120)
    await expectConverged(world, [a])
  })

  it('inside the pull transaction before its cursor: neither the page nor its cursor stays', async () => {
    const a = await world.laptop('kill-source')
    const b = await world.laptop('kill-pull')
    for (let i = 0; i < 120; i++) await a.create({ name: `m${i}` })
    await a.sync()
    const before = readNumber(b.store.sqlite, 'acked_ops')
    expect(await syncAndDie(b.dir, 'pull')).toBe('SIGKILL')
    await b.reopen()
    const partial = Object.keys(laptopDigest(b.store).records).length
    expect(before).toBe(0)
    // What b holds is exactly the feed up to its cursor: the killed page left no rows behind.
    const cursor = readState(b.store.sqlite, 'pull_cursor') ?? ''
    const feed = await readChanges(world.registry.db, { officeId: world.officeId }, '', 100_000)
    const upTo = feed.changes.findIndex((c) => c.cursor === cursor)
    const opsUpTo = new Set(
      feed.changes
        .slice(0, upTo + 1)
        .filter((c) => c.kind === 'record.op')
        .map((c) => (c.data as { opId: string }).opId),
    )
    const held = (
      b.store.sqlite.prepare('SELECT id FROM record_ops').all() as { id: string }[]
    ).map((r) => r.id)
    expect(upTo).toBeGreaterThan(0)
    expect(new Set(held)).toEqual(opsUpTo)
    await b.sync()
    expect(Object.keys(laptopDigest(b.store).records).length).toBeGreaterThan(partial)
    await expectConverged(world, [a, b])
    const integrity = b.store.sqlite.pragma('integrity_check', { simple: true })
    expect(integrity).toBe('ok')
  })
})
