// The change feed's concurrency test, many times in a row on a real PostgreSQL:
//   npx tsx test/registry/feed-stress.ts [iterations=100]
import { openDatabase } from '../../registry/db/database'
import { migrate } from '../../registry/db/migrate'
import { runFeedRace } from './helpers/feed-race'
import { startPostgres } from './helpers/postgres'

const iterations = Number(process.argv[2] ?? 100)
const cluster = await startPostgres()
const opened = await openDatabase({ databaseUrl: await cluster.createDatabase() }, 24)
let passed = 0
let changes = 0
const started = Date.now()
try {
  await migrate(opened.db)
  for (let i = 1; i <= iterations; i++) {
    const result = await runFeedRace(opened.db, {
      writers: 16,
      transactionsPerWriter: 20,
      changesPerTransaction: 3,
      readers: 6,
      pageSize: 7,
      sleep: true,
    })
    changes += result.written
    if (result.problems.length === 0) passed++
    else console.error(`iteration ${i}: ${result.problems.join('; ')}`)
  }
} finally {
  await opened.close()
  cluster.stop()
}
console.log(
  `feed stress: ${passed} of ${iterations} iterations passed (${changes} changes, ${Math.round((Date.now() - started) / 1000)} s)`,
)
process.exitCode = passed === iterations ? 0 : 1
