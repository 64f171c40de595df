// Outpost's side of the sync benchmark: real laptops (SQLite files, the real client) and the real
// registry on PostgreSQL, through the loopback proxy that counts bytes and can shape the link.
import { addAttachment } from '../../../electron/core/records/attachments'
import { indexBacklog } from '../../../electron/core/records/index-backlog'
import { createRecords, setFieldValues } from '../../../electron/core/records/ops'
import { defaultBatchLimits } from '../../../shared/sync/batch'
import type { TestCluster } from '../../registry/helpers/postgres'
import type { Throttle } from '../../sync/helpers/proxy'
import type { Laptop, World } from '../../sync/helpers/world'
import { makeWorld } from '../../sync/helpers/world'
import { benchFile, benchValues, measure, median } from './records'
import { startServerProcess } from './server-process'

export type Scenario = {
  records: number
  link: Throttle | null
  /** Files of `fileBytes` each, attached to the first records after the first sync. */
  files?: number
  fileBytes?: number
  /** Measure a push cut mid-batch and its retry. */
  droppedLink?: boolean
  noChangePulls?: number
}

const options = { limits: defaultBatchLimits, pageSize: 1000 }
/** The registry's process, whose memory `traffic` samples. */
let serverPid: number | undefined
const gc = (): void => (globalThis as { gc?: () => void }).gc?.()

type Measured = { ms: number; bytes: number; peakRssMb: number; serverPeakRssMb?: number }

function phase(records: number, m: Measured): object {
  return {
    ms: m.ms,
    recordsPerSecond: Math.round(records / (m.ms / 1000)),
    bytes: m.bytes,
    bytesPerRecord: Math.round(m.bytes / records),
    peakRssMb: m.peakRssMb,
    serverPeakRssMb: m.serverPeakRssMb,
  }
}

async function fill(laptop: Laptop, world: World, from: number, count: number): Promise<string[]> {
  const ids: string[] = []
  for (let start = from; start < from + count; start += 1000) {
    const inputs = Array.from({ length: Math.min(1000, from + count - start) }, (_, i) => ({
      formVersionId: world.formVersionId,
      values: benchValues(start + i),
    }))
    ids.push(...(await createRecords(laptop.store, laptop.actor, inputs)))
  }
  // Bulk creates are indexed for search after their commit (records/index-backlog.ts): counted
  // here, as part of making the records, so that indexing never runs during the push measured.
  indexBacklog(laptop.store.sqlite)
  return ids
}

/** Bytes both ways across the proxy while `run` runs, with its time and peak memory. */
async function traffic(world: World, run: () => Promise<void>) {
  gc()
  const before = world.proxy.bytes()
  const measured = await measure(run, serverPid)
  const after = world.proxy.bytes()
  return { ...measured, bytes: after.up - before.up + (after.down - before.down) }
}

async function droppedLink(world: World, a: Laptop): Promise<object> {
  const ops = 3000
  await fill(a, world, 10_000_000, ops)
  const first = world.proxy.requests().length
  // The third batch is cut after 20 kB: two batches land, the third never reaches the registry.
  world.proxy.arm({ kind: 'cutRequest', bytes: 20_000, match: '/v1/device/ops', skip: 2 })
  await a.sync().then(
    () => Promise.reject(new Error('the cut push should have failed')),
    () => undefined,
  )
  const waitingAfterCut = a.client.status().waiting
  const attempt1 = world.proxy
    .requests()
    .slice(first)
    .filter((r) => r.path.includes('/ops'))
  await a.sync()
  const attempt2 = world.proxy
    .requests()
    .slice(first + attempt1.length)
    .filter((r) => r.path.includes('/ops'))
  const cut = attempt1.at(-1)?.up ?? 0
  return {
    ops,
    batchesBeforeCut: attempt1.length - 1,
    opsWaitingAfterCut: waitingAfterCut,
    bytesOfCutRequest: cut,
    bytesOfFirstBatchResent: attempt2[0]?.up ?? 0,
    batchesSentAfterCut: attempt2.length,
    resentBatches: 1,
    note: 'bytes re-sent = the one batch cut mid-way (its first bytes crossed, the registry never saw it whole); every acknowledged batch stays acknowledged',
  }
}

async function attachments(world: World, a: Laptop, b: Laptop, ids: string[], s: Scenario) {
  await b.sync()
  const files = s.files ?? 0
  const size = s.fileBytes ?? 0
  for (let i = 0; i < files; i++)
    await addAttachment(a.store, a.actor, a.dir, {
      recordId: ids[i] ?? '',
      fieldPath: 'photo',
      fileName: `photo-${i}.jpg`,
      mediaType: 'image/jpeg',
      bytes: benchFile(i, size),
    })
  const push = await traffic(world, () => a.sync())
  const pull = await traffic(world, () => b.sync())
  return {
    files,
    bytesEach: size,
    totalMb: Math.round((files * size) / 1e6),
    push: {
      ms: push.ms,
      mbPerSecond: Number(((files * size) / 1e6 / (push.ms / 1000)).toFixed(1)),
      bytes: push.bytes,
      wireOverFileBytes: Number((push.bytes / (files * size)).toFixed(3)),
      peakRssMb: push.peakRssMb,
      serverPeakRssMb: push.serverPeakRssMb,
    },
    pullOfTheirOps: {
      ms: pull.ms,
      bytes: pull.bytes,
      note: 'the laptops do not download files yet',
    },
  }
}

export async function runOurs(cluster: TestCluster, s: Scenario): Promise<object> {
  const world = await makeWorld({ backend: 'postgres', cluster })
  // The laptops talk to a registry in a process of its own (as PouchDB's server is, and as HQ's
  // registry is on another machine), on the same database as the world's in-process one, which
  // only sets up the office, the form and enrollment codes.
  const registry = await startServerProcess(
    'test/bench/sync/registry-child.ts',
    world.registryDatabaseUrl ?? '',
  )
  world.proxy.retarget(registry.port)
  serverPid = registry.pid
  try {
    const a = await world.laptop('bench-a', options)
    const b = await world.laptop('bench-b', options)
    const created = await measure(() => fill(a, world, 0, s.records))
    const ids = created.result
    world.proxy.throttle(s.link)
    const push = await traffic(world, () => a.sync())
    const pull = await traffic(world, () => b.sync())
    // Pulled records are indexed for search after the pull, in the core's idle time: measured
    // on its own (the laptop would be idle), so that it is not charged to the edits that follow.
    const pullIndex = await measure(() => Promise.resolve(indexBacklog(b.store.sqlite)))
    for (let i = 0; i < 1000; i++)
      await setFieldValues(a.store, a.actor, ids[(i * 7) % ids.length] ?? '', [
        { path: 'q1', value: `edited ${i}` },
      ])
    const editPush = await traffic(world, () => a.sync())
    const editPull = await traffic(world, () => b.sync())
    const noChange: number[] = []
    for (let i = 0; i < (s.noChangePulls ?? 20); i++)
      noChange.push((await measure(() => b.sync())).ms)
    const result: Record<string, unknown> = {
      records: s.records,
      localCreateMs: created.ms,
      firstPush: phase(s.records, push),
      firstPull: {
        ...phase(s.records, pull),
        searchIndexCatchUpMs: pullIndex.ms,
        recordsPerSecondWithIndex: Math.round(s.records / ((pull.ms + pullIndex.ms) / 1000)),
      },
      edits1000: { push: phase(1000, editPush), pull: phase(1000, editPull) },
      noChangePullMs: {
        median: median(noChange),
        max: Math.max(...noChange),
        runs: noChange.length,
      },
    }
    if (s.droppedLink) result.droppedLink = await droppedLink(world, a)
    if (s.files) result.attachments = await attachments(world, a, b, ids, s)
    return result
  } finally {
    world.proxy.throttle(null)
    await world.close()
    await registry.stop()
    serverPid = undefined
  }
}
