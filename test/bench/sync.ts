// Sync benchmark: `npm run bench -- sync` (or `npx tsx test/bench/sync.ts`) writes
// bench-results/sync.json. SYNC_BENCH_RECORDS=2000 runs a quick check (default 10000).
// A laptop pushes N records of ~30 fields to a registry on PostgreSQL through the loopback proxy
// (which counts the bytes), a second laptop pulls them, then 1,000 edits go up and down, then a
// pull that brings nothing is timed. PouchDB side by side is not measured yet.
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { createRecords, setFieldValues } from '../../electron/core/records/ops'
import { defaultBatchLimits } from '../../shared/sync/batch'
import { repoRoot } from '../helpers/paths'
import { makeWorld } from '../sync/helpers/world'

const count = Number(process.env.SYNC_BENCH_RECORDS ?? 10_000)
const districts = ['Gulu', 'Lira', 'Mbarara', 'Kasese', 'Arua', 'Soroti', 'Masaka', 'Hoima']

function values(i: number): Record<string, unknown> {
  const h = (i * 2654435761) >>> 0
  const row: Record<string, unknown> = { name: `Person ${h % 100000}`, age: 18 + (h % 70) }
  for (let f = 0; f < 28; f++)
    row[`q${f}`] =
      f % 3 === 0
        ? h % (f + 7)
        : f % 3 === 1
          ? districts[(h >> f) % districts.length]
          : `answer ${f} of ${h % 997}`
  return row
}

let peakRss = 0
const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 50)
const timed = async (run: () => Promise<void>): Promise<number> => {
  const start = performance.now()
  await run()
  return performance.now() - start
}

const world = await makeWorld({ backend: 'postgres' })
try {
  const options = { limits: defaultBatchLimits, pageSize: 500 }
  const a = await world.laptop('bench-a', options)
  const b = await world.laptop('bench-b', options)
  const inputs = Array.from({ length: count }, (_, i) => ({
    formVersionId: world.formVersionId,
    values: values(i),
  }))
  const ids = await createRecords(a.store, a.actor, inputs)
  const rawJson = JSON.stringify(inputs.map((input) => input.values))
  const before = world.proxy.bytes()
  const pushMs = await timed(() => a.sync())
  const pushed = world.proxy.bytes()
  const pullMs = await timed(() => b.sync())
  const pulled = world.proxy.bytes()
  for (let i = 0; i < 1000; i++)
    await setFieldValues(a.store, a.actor, ids[(i * 7) % ids.length] ?? '', [
      { path: 'q1', value: `edited ${i}` },
    ])
  const editPushMs = await timed(() => a.sync())
  const editPullMs = await timed(() => b.sync())
  const noChange: number[] = []
  for (let i = 0; i < 20; i++) noChange.push(await timed(() => b.sync()))
  noChange.sort((x, y) => x - y)
  const upBytes = pushed.up - before.up + (pushed.down - before.down)
  const downBytes = pulled.down - pushed.down + (pulled.up - pushed.up)
  const results = {
    records: count,
    fieldsPerRecord: 30,
    registry: 'PostgreSQL 15 on loopback, through the counting proxy',
    firstPush: {
      ms: Math.round(pushMs),
      recordsPerSecond: Math.round(count / (pushMs / 1000)),
      bytes: upBytes,
      bytesPerRecord: Math.round(upBytes / count),
    },
    firstPull: {
      ms: Math.round(pullMs),
      recordsPerSecond: Math.round(count / (pullMs / 1000)),
      bytes: downBytes,
      bytesPerRecord: Math.round(downBytes / count),
    },
    rawJsonBytes: rawJson.length,
    gzipJsonBytes: gzipSync(rawJson).length,
    pushBytesOverGzipJson: Number((upBytes / gzipSync(rawJson).length).toFixed(2)),
    pullBytesOverGzipJson: Number((downBytes / gzipSync(rawJson).length).toFixed(2)),
    incremental1000Edits: { pushMs: Math.round(editPushMs), pullMs: Math.round(editPullMs) },
    noChangePullMs: {
      median: Number((noChange[10] ?? 0).toFixed(1)),
      max: Number((noChange.at(-1) ?? 0).toFixed(1)),
    },
    peakRssMb: Math.round(peakRss / 1024 / 1024),
  }
  console.log(JSON.stringify(results, null, 2))
  mkdirSync(join(repoRoot, 'bench-results'), { recursive: true })
  writeFileSync(
    join(repoRoot, 'bench-results', 'sync.json'),
    `${JSON.stringify(results, null, 2)}\n`,
  )
} finally {
  clearInterval(sampler)
  await world.close()
}
