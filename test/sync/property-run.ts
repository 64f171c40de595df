/**
 * The sync property test, longer: `npx tsx test/sync/property-run.ts [interleavings] [seed]`.
 * Prints the failing session's seed and steps; the same seed reproduces it.
 */
import { runSession } from './helpers/property-session'

const runs = Number(process.argv[2] ?? 20_000)
const base = Number(process.argv[3] ?? Date.now() % 1_000_000)
const perSession = 20
const started = performance.now()
for (let i = 0; i < runs / perSession; i++) {
  const failed = await runSession(base + i, perSession)
  if (failed) {
    console.error(`session seed ${failed.seed} failed after ${JSON.stringify(failed.steps)}`)
    console.error(failed.problems.slice(0, 10).join('\n'))
    process.exit(1)
  }
}
console.log(
  `${runs} interleavings from seed ${base} passed in ${Math.round(performance.now() - started)} ms`,
)
