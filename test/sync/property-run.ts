/**
 * The sync property test, longer: `npx tsx test/sync/property-run.ts [interleavings] [seed] [--real]`.
 * `--real` plays against the real registry (PGlite, in process) instead of its in-memory merge.
 * Prints the failing session's seed and steps; the same seed reproduces it.
 */
import { FakeRegistry } from './helpers/fake-registry'
import { runSession } from './helpers/property-session'
import { realPropertyRegistry } from './helpers/real-registry'
import { startTestRegistry, testConfig } from '../registry/helpers/harness'

const args = process.argv.slice(2).filter((a) => a !== '--real')
const real = process.argv.includes('--real')
const runs = Number(args[0] ?? 20_000)
const base = Number(args[1] ?? Date.now() % 1_000_000)
const perSession = 20
const started = performance.now()
const registry = real ? await startTestRegistry(testConfig({ dataDir: null })) : null
try {
  for (let i = 0; i < runs / perSession; i++) {
    const target = registry ? await realPropertyRegistry(registry) : new FakeRegistry()
    const failed = await runSession(base + i, perSession, target)
    if (failed) {
      console.error(`session seed ${failed.seed} failed after ${JSON.stringify(failed.steps)}`)
      console.error(failed.problems.slice(0, 10).join('\n'))
      process.exitCode = 1
      break
    }
  }
} finally {
  await registry?.close()
}
if (!process.exitCode)
  console.log(
    `${runs} interleavings from seed ${base} passed in ${Math.round(performance.now() - started)} ms${real ? ' (real registry)' : ''}`,
  )
