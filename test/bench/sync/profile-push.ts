// Profiles one first push of Outpost's sync (a tool, not part of `npm run bench`):
//   npx tsx test/bench/sync/profile-push.ts [records=10000]
// prints wall time, records/s, this process's CPU time (client and registry run here) and the
// CPU time of PostgreSQL's processes (its backends, WAL writer, checkpointer), which on a busy
// shared machine say more than the wall time. Options, by environment:
//   PROFILE_OUT=file.cpuprofile  a V8 CPU profile of the push (Chrome DevTools reads it)
//   PG_LOG=server.log            PostgreSQL's log with every statement's parse/bind/execute time
//   PG_EXPLAIN=1                 with PG_LOG: plans of statements over 20 ms, with trigger times
//   PG_EXPERIMENT="SQL"          SQL run on the registry database before the push (try a schema)
//   PG_FAST=1                    PostgreSQL without fsync and synchronous commit (as tests run it)
//   PROFILE_PULL=1               profile instead the first pull of those records by a second laptop
//   PUSH_BATCH=500               ops per batch (default: the client's, defaultBatchLimits)
import { copyFileSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { Session } from 'node:inspector/promises'
import { dirname, join } from 'node:path'
import { sql } from 'kysely'
import pg from 'pg'
import { createRecords } from '../../../electron/core/records/ops'
import { defaultBatchLimits } from '../../../shared/sync/batch'
import { startPostgres } from '../../registry/helpers/postgres'
import { makeWorld } from '../../sync/helpers/world'
import { benchValues } from './records'

const records = Number(process.argv[2] ?? 10000)
const ticksPerMs = 100 / 1000 // USER_HZ

/** Fields of /proc/<pid>/stat after the command name: state is [0], ppid [1], utime [11]. */
function procStat(pid: string): string[] {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8')
    return text.slice(text.lastIndexOf(')') + 2).split(' ')
  } catch {
    return [] // the process ended meanwhile
  }
}

/** CPU milliseconds of the postmaster and its children so far (Linux). */
function postgresCpuMs(postmaster: string): number {
  let ticks = 0
  for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    const stat = procStat(pid)
    if (pid === postmaster || stat[1] === postmaster)
      ticks += Number(stat[11] ?? 0) + Number(stat[12] ?? 0)
  }
  return ticks / ticksPerMs
}
const cluster = await startPostgres({ durable: process.env.PG_FAST !== '1' })
const admin = new pg.Client({ connectionString: cluster.adminUrl })
await admin.connect()
const shown = await admin.query<{ data_directory: string }>('SHOW data_directory')
const dataDir = shown.rows[0]?.data_directory ?? ''
const backend = await admin.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')
const postmaster = procStat(String(backend.rows[0]?.pid ?? 0))[1] ?? ''
if (process.env.PG_LOG) {
  await admin.query('ALTER SYSTEM SET log_min_duration_statement = 0')
  if (process.env.PG_EXPLAIN) {
    await admin.query("LOAD 'auto_explain'")
    await admin.query("ALTER SYSTEM SET session_preload_libraries = 'auto_explain'")
    await admin.query('ALTER SYSTEM SET auto_explain.log_min_duration = 20')
    await admin.query('ALTER SYSTEM SET auto_explain.log_analyze = on')
    await admin.query('ALTER SYSTEM SET auto_explain.log_triggers = on')
  }
  await admin.query('SELECT pg_reload_conf()')
}
await admin.end()
const world = await makeWorld({ backend: 'postgres', cluster })
try {
  const maxOps = Number(process.env.PUSH_BATCH ?? defaultBatchLimits.maxOps)
  const options = { limits: { ...defaultBatchLimits, maxOps }, pageSize: 1000 }
  const a = await world.laptop('p-a', options)
  for (let start = 0; start < records; start += 1000) {
    const inputs = Array.from({ length: Math.min(1000, records - start) }, (_, i) => ({
      formVersionId: world.formVersionId,
      values: benchValues(start + i),
    }))
    await createRecords(a.store, a.actor, inputs)
  }
  if (process.env.PG_EXPERIMENT) await sql.raw(process.env.PG_EXPERIMENT).execute(world.registry.db)
  const pull = process.env.PROFILE_PULL === '1'
  const b = pull ? await world.laptop('p-b', options) : null
  if (b) await a.sync()
  const session = new Session()
  session.connect()
  await session.post('Profiler.enable')
  await session.post('Profiler.start')
  const cpu0 = process.cpuUsage()
  const pg0 = postgresCpuMs(postmaster)
  const t0 = performance.now()
  await (b ?? a).sync()
  const ms = performance.now() - t0
  const cpu = process.cpuUsage(cpu0)
  const pgCpuMs = Math.round(postgresCpuMs(postmaster) - pg0)
  const { profile } = await session.post('Profiler.stop')
  if (process.env.PROFILE_OUT) writeFileSync(process.env.PROFILE_OUT, JSON.stringify(profile))
  console.log(
    JSON.stringify({
      measured: pull ? 'first pull' : 'first push',
      records,
      ms: Math.round(ms),
      recordsPerSecond: Math.round(records / (ms / 1000)),
      nodeCpuMs: Math.round((cpu.user + cpu.system) / 1000),
      pgCpuMs,
      load: Number(readFileSync('/proc/loadavg', 'utf8').split(' ')[0]),
    }),
  )
} finally {
  await world.close()
  if (process.env.PG_LOG) copyFileSync(join(dirname(dataDir), 'server.log'), process.env.PG_LOG)
  cluster.stop()
}
