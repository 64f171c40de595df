import { describe, expect, it } from 'vitest'
import { FakeRegistry } from './helpers/fake-registry'
import { runSession } from './helpers/property-session'
import { realPropertyRegistry } from './helpers/real-registry'
import { useRegistry } from '../registry/helpers/harness'

/**
 * Random interleavings of edits, deletes, restores, resolutions and syncs over three laptops
 * (real SQLite, the real sync client) and the registry's merge, with requests cut, answers lost
 * after commit and deliveries doubled. After a final clean sync every replica must hold the same
 * data, every op ever made must be in the history, and no concurrent write may be lost silently.
 * `PROPERTY_RUNS` and `PROPERTY_SEED` reproduce or lengthen a run (test/sync/property-run.ts).
 */
describe('sync properties', () => {
  it(
    'converges with no op lost and every concurrent write kept as a conflict, over 1,000 interleavings',
    { timeout: 120_000 },
    async () => {
      const runs = Number(process.env.PROPERTY_RUNS ?? 1000)
      const base = Number(process.env.PROPERTY_SEED ?? 20261123)
      const perSession = 20
      for (let i = 0; i < runs / perSession; i++) {
        const failed = await runSession(base + i, perSession, new FakeRegistry())
        if (failed)
          expect.fail(
            `session seed ${failed.seed} failed after ${JSON.stringify(failed.steps)}:\n${failed.problems.slice(0, 5).join('\n')}`,
          )
      }
    },
  )
})

describe('sync properties against the real registry', () => {
  const registry = useRegistry('pglite')
  it(
    'holds over 60 interleavings with the registry’s own merge, feed and routes',
    { timeout: 120_000 },
    async () => {
      const runs = Number(process.env.PROPERTY_REAL_RUNS ?? 60)
      const base = Number(process.env.PROPERTY_SEED ?? 20261123)
      const perSession = 20
      for (let i = 0; i < runs / perSession; i++) {
        const failed = await runSession(
          base + i,
          perSession,
          await realPropertyRegistry(registry()),
        )
        if (failed)
          expect.fail(
            `session seed ${failed.seed} failed after ${JSON.stringify(failed.steps)}:\n${failed.problems.slice(0, 5).join('\n')}`,
          )
      }
    },
  )
})
