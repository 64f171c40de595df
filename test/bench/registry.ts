// Load benchmark of the registry: `npx tsx test/bench/registry.ts` (or `npm run bench -- registry`).
// 200 simulated devices of 50 offices push ops and read their office's feed concurrently over
// loopback against a throwaway PostgreSQL, for BENCH_SECONDS (default 60). Then the same rows are
// inserted straight into PostgreSQL, for comparison. Results go to bench-results/registry.json.
import { mkdirSync, writeFileSync } from 'node:fs'
import { sql } from 'kysely'
import { uuidv7 } from 'uuidv7'
import type { EnrollResponse, RecordOp } from '../../shared/registry-api'
import type { RegistryDb } from '../../registry/db/database'
import { openDatabase } from '../../registry/db/database'
import { createEnrollmentCode } from '../../registry/domain/devices'
import { createOffice } from '../../registry/domain/offices'
import type { TestRegistry } from '../registry/helpers/harness'
import { enrollBody, startTestRegistry, system, testConfig } from '../registry/helpers/harness'
import { startPostgres } from '../registry/helpers/postgres'
import { publishForm } from '../registry/helpers/world'

const seconds = Number(process.env.BENCH_SECONDS ?? 60)
const deviceCount = Number(process.env.BENCH_DEVICES ?? 200)
const officeCount = Number(process.env.BENCH_OFFICES ?? 50)
const recordsPerPush = 5
const fieldsPerRecord = 4

type Device = EnrollResponse & { formVersionId: string; cursor: string }
type Stats = {
  latencies: number[]
  pushes: number
  reads: number
  errors: number
  records: number
  ops: number
  errorSamples: string[]
}

async function setUp(registry: TestRegistry): Promise<Device[]> {
  const offices = []
  for (let o = 0; o < officeCount; o++)
    offices.push(
      await createOffice(registry.db, system, { code: `bench-${o}`, name: `Office ${o}` }),
    )
  const formVersionId = await publishForm(
    registry,
    offices.map((office) => office.id),
  )
  const devices: Device[] = []
  for (let d = 0; d < deviceCount; d++) {
    const office = offices[d % officeCount]
    if (!office) throw new Error('no office')
    const { code } = await createEnrollmentCode(registry.db, system, { office: office.id })
    const reply = await registry.call('POST', '/v1/enroll', { body: enrollBody(code) })
    devices.push({ ...(reply.body as EnrollResponse), formVersionId, cursor: '' })
  }
  return devices
}

let clock = 0
function batch(device: Device): RecordOp[] {
  const ops: RecordOp[] = []
  for (let r = 0; r < recordsPerPush; r++) {
    const recordId = uuidv7()
    for (let f = 0; f < fieldsPerRecord; f++) {
      const hlc = `${String(Date.now()).padStart(15, '0')}-${(++clock % 60_000_000).toString(36).padStart(5, '0')}-${device.deviceId.slice(0, 8)}`
      ops.push({
        opId: uuidv7(),
        recordId,
        formVersionId: device.formVersionId,
        fieldPath: `field_${f}`,
        oldValue: null,
        newValue: `value ${f} of ${recordId}`,
        hlc,
        userId: 'clerk',
      })
    }
  }
  return ops
}

async function timed(stats: Stats, send: () => Promise<Response>): Promise<unknown> {
  const start = performance.now()
  try {
    const response = await send()
    const body: unknown = await response.json()
    stats.latencies.push(performance.now() - start)
    if (!response.ok) {
      stats.errors++
      if (stats.errorSamples.length < 5)
        stats.errorSamples.push(`${response.status} ${JSON.stringify(body)}`)
      return null
    }
    return body
  } catch (error) {
    stats.errors++
    if (stats.errorSamples.length < 5) stats.errorSamples.push(String(error))
    return null
  }
}

async function simulate(url: string, device: Device, until: number, stats: Stats): Promise<void> {
  const headers = { authorization: `Bearer ${device.token}`, 'content-type': 'application/json' }
  while (Date.now() < until) {
    const ops = batch(device)
    const pushed = await timed(stats, () =>
      fetch(`${url}/v1/device/ops`, { method: 'POST', headers, body: JSON.stringify({ ops }) }),
    )
    if (pushed) {
      stats.pushes++
      stats.records += recordsPerPush
      stats.ops += ops.length
    }
    const page = (await timed(stats, () =>
      fetch(`${url}/v1/device/changes?after=${device.cursor}&limit=500`, { headers }),
    )) as { nextCursor: string } | null
    if (page) {
      stats.reads++
      device.cursor = page.nextCursor
    }
  }
}

const percentile = (sorted: number[], p: number): number =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0

/** Inserts the rows the registry ingested again, straight into look-alike tables, batch for batch. */
async function rawInsertRate(
  db: RegistryDb,
  concurrency: number,
): Promise<{ recordsPerSecond: number; opsPerSecond: number }> {
  await sql`CREATE TABLE raw_records (LIKE records INCLUDING DEFAULTS)`.execute(db)
  await sql`CREATE TABLE raw_ops (LIKE record_ops INCLUDING DEFAULTS)`.execute(db)
  const records = await db.selectFrom('records').selectAll().execute()
  const ops = await db.selectFrom('record_ops').selectAll().execute()
  const opsByRecord = new Map<string, typeof ops>()
  for (const op of ops)
    opsByRecord.set(op.record_id, [...(opsByRecord.get(op.record_id) ?? []), op])
  const batches: (typeof records)[] = []
  for (let i = 0; i < records.length; i += recordsPerPush)
    batches.push(records.slice(i, i + recordsPerPush))
  const json = (value: unknown): string => JSON.stringify(value ?? null)
  const start = performance.now()
  let next = 0
  const worker = async (): Promise<void> => {
    for (let b = next++; b < batches.length; b = next++) {
      const rows = batches[b] ?? []
      await db.transaction().execute(async (trx) => {
        await sql`INSERT INTO raw_records SELECT * FROM jsonb_populate_recordset(null::raw_records, ${json(rows.map((row) => ({ ...row, values: row.values, field_clocks: row.field_clocks })))}::jsonb)`.execute(
          trx,
        )
        const rowOps = rows.flatMap((row) => opsByRecord.get(row.id) ?? [])
        await sql`INSERT INTO raw_ops SELECT * FROM jsonb_populate_recordset(null::raw_ops, ${json(rowOps)}::jsonb)`.execute(
          trx,
        )
      })
    }
  }
  await Promise.all(Array.from({ length: concurrency }, () => worker()))
  const elapsed = (performance.now() - start) / 1000
  return {
    recordsPerSecond: Math.round(records.length / elapsed),
    opsPerSecond: Math.round(ops.length / elapsed),
  }
}

async function run(): Promise<void> {
  const cluster = await startPostgres()
  const databaseUrl = await cluster.createDatabase()
  const registry = await startTestRegistry(
    testConfig(
      { databaseUrl },
      { poolSize: 20, rateLimit: 1_000_000, jsonBodyLimit: 4 * 1024 * 1024 },
    ),
  )
  try {
    const devices = await setUp(registry)
    const stats: Stats = {
      latencies: [],
      pushes: 0,
      reads: 0,
      errors: 0,
      records: 0,
      ops: 0,
      errorSamples: [],
    }
    console.log(
      `${devices.length} devices of ${officeCount} offices enrolled; running for ${seconds} s`,
    )
    const started = performance.now()
    await Promise.all(
      devices.map((device) => simulate(registry.url, device, Date.now() + seconds * 1000, stats)),
    )
    const elapsed = (performance.now() - started) / 1000
    await registry.close()
    const direct = await openDatabase({ databaseUrl }, 20)
    const raw = await rawInsertRate(direct.db, 20)
    await direct.close()
    const sorted = [...stats.latencies].sort((a, b) => a - b)
    const result = {
      benchmark: 'registry',
      date: new Date().toISOString(),
      machine: {
        node: process.version,
        cores: (await import('node:os')).cpus().length,
        database:
          'PostgreSQL (throwaway cluster, fsync off), client and server on one machine over loopback',
      },
      shape: {
        devices: devices.length,
        offices: officeCount,
        seconds: Math.round(elapsed),
        recordsPerPush,
        opsPerPush: recordsPerPush * fieldsPerRecord,
        feedPageLimit: 500,
      },
      requests: stats.latencies.length,
      requestsPerSecond: Math.round(stats.latencies.length / elapsed),
      latencyMs: {
        p50: round(percentile(sorted, 50)),
        p95: round(percentile(sorted, 95)),
        p99: round(percentile(sorted, 99)),
        max: round(sorted.at(-1) ?? 0),
      },
      pushes: stats.pushes,
      feedReads: stats.reads,
      recordsIngestedPerSecond: Math.round(stats.records / elapsed),
      opsIngestedPerSecond: Math.round(stats.ops / elapsed),
      errors: stats.errors,
      errorSamples: stats.errorSamples,
      rawPostgresInsert: raw,
    }
    mkdirSync('bench-results', { recursive: true })
    writeFileSync('bench-results/registry.json', `${JSON.stringify(result, null, 2)}\n`)
    console.log(JSON.stringify(result, null, 2))
    if (stats.errors > 0) process.exitCode = 1
  } finally {
    await registry.close().catch(() => undefined)
    cluster.stop()
  }
}

const round = (value: number): number => Math.round(value * 10) / 10
await run()
