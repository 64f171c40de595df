// `npm run bench -- NAME [NAME…]` runs test/bench/NAME.ts; with no name, every benchmark there.
// Each writes its JSON results to bench-results/NAME.json. Benchmarks are never part of npm test.
import { spawnSync } from 'node:child_process'
import { readdirSync } from 'node:fs'

const available = readdirSync('test/bench')
  .filter((file) => file.endsWith('.ts') && !file.includes('.test.'))
  .map((file) => file.replace(/\.ts$/, ''))
const wanted = process.argv.slice(2)
const unknown = wanted.filter((name) => !available.includes(name))
if (unknown.length > 0) {
  console.error(`Unknown benchmark: ${unknown.join(', ')}. Available: ${available.join(', ')}`)
  process.exit(2)
}
for (const name of wanted.length > 0 ? wanted : available) {
  console.log(`\n== bench ${name}`)
  const run = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', `test/bench/${name}.ts`], { stdio: 'inherit' })
  if (run.status !== 0) process.exit(run.status ?? 1)
}
