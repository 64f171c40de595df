// PouchDB's side of the sync benchmark, in a child process of its own so its memory is its own:
// a local PouchDB (LevelDB) replicating the same documents to a PouchDB server (express-pouchdb
// on LevelDB, in a further process, pouchdb-server.ts) through the same counting, shapeable
// proxy. Prints one JSON line.
// Input (argv[2]): { records, batchSize, link, files, fileBytes, noChangePulls }.
import { join } from 'node:path'
import PouchDB from 'pouchdb'
import { makeTempDir } from '../../helpers/paths'
import type { Throttle } from '../../sync/helpers/proxy'
import { startProxy } from '../../sync/helpers/proxy'
import { benchFile, benchValues, measure, median } from './records'
import { startServerProcess } from './server-process'

type Input = {
  records: number
  batchSize?: number
  link: Throttle | null
  files?: number
  fileBytes?: number
  noChangePulls?: number
}
const input = JSON.parse(process.argv[2] ?? '{}') as Input
const temp = makeTempDir('outpost-pouch-')
// The server (express-pouchdb) runs in a process of its own, as Outpost's registry does.
const server = await startServerProcess('test/bench/sync/pouchdb-server.ts', temp.dir)
const proxy = await startProxy(server.port)
const remote = `${proxy.url}/bench`
const options = input.batchSize ? { batch_size: input.batchSize } : {}
const id = (i: number): string => `record-${String(i).padStart(9, '0')}`

/**
 * Replication broken off by the link (on the throttled one PouchDB's requests time out or find
 * their connection reset) is started again, as an app would: it resumes from its checkpoint.
 * The attempts count in the figures.
 */
let retries = 0
async function retried<T>(run: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await run()
    } catch (error) {
      if (attempt >= 10) throw error
      retries++
    }
  }
}

async function traffic(run: () => Promise<unknown>) {
  const before = proxy.bytes()
  const measured = await measure(run, server.pid)
  const after = proxy.bytes()
  return {
    ms: measured.ms,
    peakRssMb: measured.peakRssMb,
    serverPeakRssMb: measured.serverPeakRssMb,
    bytes: after.up - before.up + (after.down - before.down),
  }
}
const phase = (
  n: number,
  t: { ms: number; bytes: number; peakRssMb: number; serverPeakRssMb?: number },
) => ({
  ...t,
  recordsPerSecond: Math.round(n / (t.ms / 1000)),
  bytesPerRecord: Math.round(t.bytes / n),
})

try {
  const a = new PouchDB(join(temp.dir, 'laptop-a'))
  const b = new PouchDB(join(temp.dir, 'laptop-b'))
  const created = await measure(async () => {
    for (let start = 0; start < input.records; start += 1000)
      await a.bulkDocs(
        Array.from({ length: Math.min(1000, input.records - start) }, (_, i) => ({
          _id: id(start + i),
          ...benchValues(start + i),
        })),
      )
  })
  proxy.throttle(input.link)
  const push = await traffic(() => retried(() => a.replicate.to(remote, options)))
  const pull = await traffic(() => retried(() => b.replicate.from(remote, options)))
  const keys = Array.from({ length: 1000 }, (_, i) => id((i * 7) % input.records))
  const unique = [...new Set(keys)]
  const docs = (await a.allDocs({ include_docs: true, keys: unique })).rows.flatMap((r) =>
    r.doc ? [r.doc] : [],
  )
  await a.bulkDocs(docs.map((doc, i) => ({ ...doc, q1: `edited ${i}` })))
  const editPush = await traffic(() => retried(() => a.replicate.to(remote, options)))
  const editPull = await traffic(() => retried(() => b.replicate.from(remote, options)))
  const noChange: number[] = []
  for (let i = 0; i < (input.noChangePulls ?? 20); i++)
    noChange.push((await measure(() => retried(() => b.replicate.from(remote, options)))).ms)
  const result: Record<string, unknown> = {
    records: input.records,
    batchSize: input.batchSize ?? 100,
    replicationsRestartedAfterAnError: 0,
    localCreateMs: created.ms,
    firstPush: phase(input.records, push),
    firstPull: phase(input.records, pull),
    edits1000: {
      editedDocs: docs.length,
      push: phase(docs.length, editPush),
      pull: phase(docs.length, editPull),
    },
    noChangePullMs: { median: median(noChange), max: Math.max(...noChange), runs: noChange.length },
  }
  if (input.files) {
    const size = input.fileBytes ?? 0
    const withFiles = (
      await a.allDocs({
        include_docs: true,
        keys: Array.from({ length: input.files }, (_, i) => id(i)),
      })
    ).rows
    await a.bulkDocs(
      withFiles.flatMap((row, i) =>
        row.doc
          ? [
              {
                ...row.doc,
                _attachments: {
                  [`photo-${i}.jpg`]: {
                    content_type: 'image/jpeg',
                    data: Buffer.from(benchFile(i, size)).toString('base64'),
                  },
                },
              },
            ]
          : [],
      ),
    )
    const files = await traffic(() => retried(() => a.replicate.to(remote, options)))
    result.attachments = {
      files: input.files,
      bytesEach: size,
      push: {
        ms: files.ms,
        mbPerSecond: Number(((input.files * size) / 1e6 / (files.ms / 1000)).toFixed(1)),
        bytes: files.bytes,
        wireOverFileBytes: Number((files.bytes / (input.files * size)).toFixed(3)),
        peakRssMb: files.peakRssMb,
      },
    }
  }
  result.replicationsRestartedAfterAnError = retries
  await a.close()
  await b.close()
  console.log(JSON.stringify(result))
} finally {
  proxy.throttle(null)
  await proxy.close()
  await server.stop()
  temp.cleanup()
}
