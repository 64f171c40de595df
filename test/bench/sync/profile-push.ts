// Profiles one first push (not part of the benchmark): `npx tsx test/bench/sync/profile-push.ts [records]`.
import { writeFileSync } from 'node:fs'
import pg from 'pg'
import { sql } from 'kysely'
import { Session } from 'node:inspector/promises'
import { createRecords } from '../../../electron/core/records/ops'
import { defaultBatchLimits } from '../../../shared/sync/batch'
import { startPostgres } from '../../registry/helpers/postgres'
import { makeWorld } from '../../sync/helpers/world'
import { benchValues } from './records'

const records = Number(process.argv[2] ?? 10000)
const cluster = await startPostgres()
if (process.env.PG_LOG) {
  const pgc = new pg.Client({ connectionString: cluster.adminUrl })
  await pgc.connect()
  await pgc.query("ALTER SYSTEM SET log_min_duration_statement = 0")
  if (process.env.PG_EXPLAIN) {
    await pgc.query("LOAD 'auto_explain'")
    await pgc.query("ALTER SYSTEM SET session_preload_libraries = 'auto_explain'")
    await pgc.query("ALTER SYSTEM SET auto_explain.log_min_duration = 20")
    await pgc.query("ALTER SYSTEM SET auto_explain.log_analyze = on")
    await pgc.query("ALTER SYSTEM SET auto_explain.log_triggers = on")
  }
  await pgc.query('SELECT pg_reload_conf()')
  console.log((await pgc.query('SHOW data_directory')).rows[0])
  await pgc.end()
}
const world = await makeWorld({ backend: 'postgres', cluster })
try {
  const options = { limits: defaultBatchLimits, pageSize: 1000 }
  const a = await world.laptop('p-a', options)
  for (let start = 0; start < records; start += 1000) {
    const inputs = Array.from({ length: Math.min(1000, records - start) }, (_, i) => ({
      formVersionId: world.formVersionId,
      values: benchValues(start + i),
    }))
    await createRecords(a.store, a.actor, inputs)
  }
  if (process.env.PG_EXPERIMENT) await sql.raw(process.env.PG_EXPERIMENT).execute(world.registry.db)
  const session = new Session()
  session.connect()
  await session.post('Profiler.enable')
  await session.post('Profiler.start')
  const cpu0 = process.cpuUsage()
  const t0 = performance.now()
  await a.sync()
  const ms = performance.now() - t0
  const cpu = process.cpuUsage(cpu0)
  const { profile } = await session.post('Profiler.stop')
  if (process.env.PROFILE_OUT) writeFileSync(process.env.PROFILE_OUT, JSON.stringify(profile))
  console.log(JSON.stringify({ records, ms: Math.round(ms), perSec: Math.round(records / (ms / 1000)), nodeCpuMs: Math.round((cpu.user + cpu.system) / 1000) }))
} finally {
  await world.close()
  if (process.env.PG_LOG) await new Promise((r) => setTimeout(r, 60_000))
  cluster.stop()
}
