// The registry of Outpost's side of the sync benchmark, in a child process of its own (as
// PouchDB's server is, and as a registry at HQ is on another machine): the real registry
// (Fastify) on the benchmark's PostgreSQL database. Prints `{"port":…}` once it listens and
// closes when its stdin ends (the parent exited or closed it).
// Input (argv[2]): the database URL.
import { startTestRegistry, testConfig } from '../../registry/helpers/harness'

const databaseUrl = process.argv[2] ?? ''
const registry = await startTestRegistry(
  testConfig({ databaseUrl }, { jsonBodyLimit: 16 * 1024 * 1024 }),
)
if (process.env.SYNC_BENCH_TRACE) {
  const at = (): number => performance.timeOrigin + performance.now()
  registry.app.server.on('request', (request, response) => {
    console.error(`R> ${at()} ${request.url}`)
    response.on('finish', () => console.error(`R< ${at()} ${request.url}`))
  })
}
console.log(JSON.stringify({ port: Number(new URL(registry.url).port) }))
process.stdin.resume()
process.stdin.on('end', () => {
  void registry.close().then(() => process.exit(0))
})
