// Sync benchmark: `npm run bench -- sync` writes bench-results/sync.json (docs/sync.md, Benchmark).
// Outpost (laptop SQLite → registry on PostgreSQL) and PouchDB (LevelDB → express-pouchdb) sync
// the same ~30-field records through the same counting loopback proxy, plain and shaped to
// 256 kbit/s with 300 ms latency each way. SYNC_BENCH_RECORDS=2000,10000 sets the loopback sizes
// (default 10000,100000), SYNC_BENCH_THROTTLED the throttled size (default 1000),
// SYNC_BENCH_FILES_MB the attachments (default 100, in 2 MB files), SYNC_BENCH_POUCH=0 skips PouchDB.
import { spawnSync } from 'node:child_process'
import { mkdirSync, writeFileSync } from 'node:fs'
import { cpus, loadavg } from 'node:os'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { repoRoot } from '../helpers/paths'
import { startPostgres } from '../registry/helpers/postgres'
import type { Throttle } from '../sync/helpers/proxy'
import { runOurs } from './sync/ours'
import { benchValues, throttledLink } from './sync/records'

const sizes = (process.env.SYNC_BENCH_RECORDS ?? '10000,100000').split(',').map(Number)
const throttledSize = Number(process.env.SYNC_BENCH_THROTTLED ?? 1000)
const fileBytes = 2 * 1024 * 1024
const files = Math.round((Number(process.env.SYNC_BENCH_FILES_MB ?? 100) * 1e6) / fileBytes)
const withPouch = process.env.SYNC_BENCH_POUCH !== '0'
const startedAt = Date.now()
const load: number[][] = [loadavg()]

function pouch(input: {
  records: number
  batchSize?: number
  link: Throttle | null
  files?: number
  fileBytes?: number
  noChangePulls?: number
}): unknown {
  const child = spawnSync(
    process.execPath,
    ['--expose-gc', '--import', 'tsx', 'test/bench/sync/pouchdb-child.ts', JSON.stringify(input)],
    { cwd: repoRoot, encoding: 'utf8', maxBuffer: 1 << 24 },
  )
  const line = child.stdout.trim().split('\n').at(-1) ?? ''
  if (child.status !== 0 || !line.startsWith('{')) return { error: `${child.stderr}`.slice(-2000) }
  return JSON.parse(line) as unknown
}

function wireReference(records: number) {
  const json = JSON.stringify(Array.from({ length: records }, (_, i) => benchValues(i)))
  const gzip = gzipSync(json).length
  return {
    rawJsonBytes: json.length,
    gzipJsonBytes: gzip,
    gzipBytesPerRecord: Number((gzip / records).toFixed(1)),
  }
}

function ratio(
  run: unknown,
  path: (r: Record<string, Record<string, number>>) => number | undefined,
  by: number,
): number | null {
  if (!run) return null
  const value = path(run as Record<string, Record<string, number>>)
  return typeof value === 'number' ? Number((value / by).toFixed(2)) : null
}

const cluster = await startPostgres({ durable: true })
const loopback: Record<string, unknown> = {}
try {
  for (const [index, records] of sizes.entries()) {
    const reference = wireReference(records)
    const ours = await runOurs(cluster, {
      records,
      link: null,
      droppedLink: index === 0,
      files: index === 0 ? files : 0,
      fileBytes,
    })
    load.push(loadavg())
    const theirs = withPouch
      ? pouch({ records, link: null, files: index === 0 ? files : 0, fileBytes })
      : null
    const theirs1000 = withPouch
      ? pouch({ records, batchSize: 1000, link: null, noChangePulls: 3 })
      : null
    load.push(loadavg())
    const pushRate = (run: unknown) =>
      (run as { firstPush?: { recordsPerSecond?: number } } | null)?.firstPush?.recordsPerSecond
    loopback[String(records)] = {
      wireReference: reference,
      outpost: ours,
      pouchdb: theirs,
      pouchdbBatch1000: theirs1000,
      pushBytesOverGzipJson: ratio(ours, (r) => r.firstPush?.bytes, reference.gzipJsonBytes),
      pullBytesOverGzipJson: ratio(ours, (r) => r.firstPull?.bytes, reference.gzipJsonBytes),
      pouchPushBytesOverRawJson: ratio(theirs, (r) => r.firstPush?.bytes, reference.rawJsonBytes),
      firstPushFasterThanPouchBy: ratio(
        ours,
        (r) => r.firstPush?.recordsPerSecond,
        pushRate(theirs) ?? NaN,
      ),
      firstPushFasterThanPouchBatch1000By: ratio(
        ours,
        (r) => r.firstPush?.recordsPerSecond,
        pushRate(theirs1000) ?? NaN,
      ),
    }
  }
  // SYNC_BENCH_THROTTLED=0 skips the shaped link.
  const throttledOurs =
    throttledSize > 0
      ? await runOurs(cluster, { records: throttledSize, link: throttledLink, noChangePulls: 3 })
      : null
  const throttledTheirs =
    withPouch && throttledSize > 0
      ? pouch({ records: throttledSize, link: throttledLink, noChangePulls: 3 })
      : null
  load.push(loadavg())
  const results = {
    machine: {
      cpus: cpus().length,
      loadAverage1mDuringRun: load.map((l) => Number((l[0] ?? 0).toFixed(2))),
      note: 'a 2-core machine shared with other engineers running tests; the load average was sampled between runs',
    },
    setup:
      'Outpost: laptop SQLite files and the real sync client in this process → registry (Fastify) in a process of its own on PostgreSQL (its own processes, with fsync and synchronous commit on); PouchDB 9 (LevelDB) in a child process → express-pouchdb 4 (LevelDB) in a process of its own. Each side: client and server in separate processes, as a laptop and HQ are. Both through the same loopback proxy that counts bytes both ways. peakRssMb is the client process (Outpost: the benchmark process with its laptops), serverPeakRssMb the server process (Outpost without PostgreSQL).',
    goals: {
      firstPushVsPouch: '>= 10x',
      noChangePullMs: '< 100',
      wireOverGzipJson: '<= 1.3',
      droppedLinkResends: '<= one batch',
    },
    loopback,
    throttled: {
      link: '256 kbit/s (32,000 bytes/s) each way, 300 ms latency added each way, shared by all connections',
      records: throttledSize,
      note: `fewer records than on loopback (${throttledSize}) so the run ends in minutes; no attachments (100 MB at 32 kB/s would take 55 minutes)`,
      wireReference: wireReference(throttledSize),
      outpost: throttledOurs,
      pouchdb: throttledTheirs,
    },
    totalSeconds: Math.round((Date.now() - startedAt) / 1000),
  }
  console.log(JSON.stringify(results, null, 2))
  mkdirSync(join(repoRoot, 'bench-results'), { recursive: true })
  writeFileSync(
    join(repoRoot, 'bench-results', 'sync.json'),
    `${JSON.stringify(results, null, 2)}\n`,
  )
} finally {
  cluster.stop()
}
