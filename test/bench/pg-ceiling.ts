// What PostgreSQL itself can take on this machine: `npm run bench -- pg-ceiling`. The sync
// benchmark's records (~30 fields, test/bench/sync/records.ts) written straight into a throwaway
// durable cluster (fsync and synchronous commit on, as a registry runs) over one connection, in
// transactions of 1,000 like a push: into one bare table (the least any registry must do), and
// into three (the record, its create op in the log, its feed row: what sync as the issue specifies
// keeps), each from one array parameter per column. No HTTP, no compression, no checks, no merge.
// This is the ceiling the registry's first push is measured against (bench-results/pg-ceiling.json).
import { mkdirSync, writeFileSync } from 'node:fs'
import { loadavg } from 'node:os'
import pg from 'pg'
import { uuidv7 } from 'uuidv7'
import { startPostgres } from '../registry/helpers/postgres'
import { benchValues } from './sync/records'

const records = Number(process.env.BENCH_RECORDS ?? 100_000)
const batch = 1_000

async function main(): Promise<void> {
  const cluster = await startPostgres({ durable: true })
  const client = new pg.Client({ connectionString: await cluster.createDatabase() })
  await client.connect()
  const load: number[][] = [loadavg()]
  const result: Record<string, unknown> = {
    date: new Date().toISOString(),
    node: process.version,
    records,
    batch,
    setup: 'PostgreSQL (Debian) with fsync and synchronous commit on, one connection from this process, transactions of 1,000 records, one array parameter per column',
  }
  try {
    await client.query(`CREATE TABLE bare (id uuid PRIMARY KEY, values jsonb NOT NULL)`)
    await client.query(`CREATE TABLE r3_records (id uuid PRIMARY KEY, office_id uuid NOT NULL, values jsonb NOT NULL, updated_at timestamptz NOT NULL DEFAULT now())`)
    await client.query(`CREATE TABLE r3_ops (id uuid PRIMARY KEY, record_id uuid NOT NULL, device_id uuid NOT NULL, hlc text NOT NULL, new_value jsonb NOT NULL)`)
    await client.query(`CREATE TABLE r3_feed (seq bigserial PRIMARY KEY, office_id uuid NOT NULL, op_id uuid NOT NULL)`)
    await client.query(`CREATE INDEX r3_feed_office ON r3_feed (office_id, seq)`)
    const office = uuidv7()
    const device = uuidv7()

    const run = async (label: string, write: (ids: string[], json: string[]) => Promise<void>) => {
      let ms = 0
      for (let start = 0; start < records; start += batch) {
        const ids: string[] = []
        const json: string[] = []
        for (let i = start; i < Math.min(records, start + batch); i++) {
          ids.push(uuidv7())
          json.push(JSON.stringify(benchValues(i)))
        }
        const t = performance.now()
        await client.query('BEGIN')
        await write(ids, json)
        await client.query('COMMIT')
        ms += performance.now() - t
      }
      load.push(loadavg())
      const perSecond = Math.round(records / (ms / 1000))
      console.log(label, perSecond, 'records/s')
      return { ms: Math.round(ms), recordsPerSecond: perSecond }
    }

    result.bareTable = await run('bare table', async (ids, json) => {
      await client.query('INSERT INTO bare (id, values) SELECT * FROM unnest($1::uuid[], $2::jsonb[])', [ids, json])
    })
    result.recordOpAndFeed = await run('record, op and feed row', async (ids, json) => {
      const ops = ids.map(() => uuidv7())
      await client.query('INSERT INTO r3_records (id, office_id, values) SELECT id, $3, v FROM unnest($1::uuid[], $2::jsonb[]) AS t(id, v)', [ids, json, office])
      await client.query(
        `INSERT INTO r3_ops (id, record_id, device_id, hlc, new_value) SELECT o, r, $4, o::text, v FROM unnest($1::uuid[], $2::uuid[], $3::jsonb[]) AS t(o, r, v)`,
        [ops, ids, json, device],
      )
      await client.query('INSERT INTO r3_feed (office_id, op_id) SELECT $2, o FROM unnest($1::uuid[]) AS t(o)', [ops, office])
    })
    // The same three rows in one statement, the JSON parsed once (the op's copy is the record's).
    result.recordOpAndFeedOneStatement = await run('record, op and feed row, one statement', async (ids, json) => {
      await client.query(
        `WITH input AS (SELECT id, uuidv7_like, v FROM unnest($1::uuid[], $2::uuid[], $3::jsonb[]) AS t(id, uuidv7_like, v)),
           rec AS (INSERT INTO r3_records (id, office_id, values) SELECT id, $4, v FROM input),
           op AS (INSERT INTO r3_ops (id, record_id, device_id, hlc, new_value) SELECT uuidv7_like, id, $5, uuidv7_like::text, v FROM input)
         INSERT INTO r3_feed (office_id, op_id) SELECT $4, uuidv7_like FROM input`,
        [ids, ids.map(() => uuidv7()), json, office, device],
      )
    })
  } finally {
    await client.end()
    cluster.stop()
  }
  result.loadAverage = load.map((l) => l.map((x) => Math.round(x * 100) / 100))
  mkdirSync('bench-results', { recursive: true })
  writeFileSync('bench-results/pg-ceiling.json', `${JSON.stringify(result, null, 2)}\n`)
}

void main().catch((error: unknown) => {
  console.error(error)
  process.exit(1)
})
