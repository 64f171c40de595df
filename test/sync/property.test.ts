import { describe, expect, it } from 'vitest'
import { runSession } from './helpers/property-session'

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
        const failed = await runSession(base + i, perSession)
        if (failed)
          expect.fail(
            `session seed ${failed.seed} failed after ${JSON.stringify(failed.steps)}:\n${failed.problems.slice(0, 5).join('\n')}`,
          )
      }
    },
  )
})
