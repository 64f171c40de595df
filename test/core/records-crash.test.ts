import { spawn } from 'node:child_process'
import { createHash, randomBytes } from 'node:crypto'
import { rmSync } from 'node:fs'
import { join } from 'node:path'
import { build } from 'esbuild'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openSqlite } from '../../electron/core/db/open'
import { openAttachment, setAttachmentKey } from '../../electron/core/records/attachments'
import { indexBacklog } from '../../electron/core/records/index-backlog'
import { makeTempDir, migrationsDir, repoRoot } from '../helpers/paths'

const temp = makeTempDir('outpost-records-crash-')
const key = randomBytes(32)
afterAll(() => {
  temp.cleanup()
  rmSync(writer, { force: true })
})

// The writer is bundled once so that each of the fifty children starts in a fraction of a
// second instead of transpiling the core again. It lives under node_modules so that the native
// better-sqlite3 module, left outside the bundle, resolves from it.
const writer = join(repoRoot, 'node_modules/.cache/outpost-tests', `records-crash-writer-${process.pid}.mjs`)
beforeAll(async () => {
  await build({
    entryPoints: [join(repoRoot, 'test/core/records-crash-writer.ts')],
    outfile: writer,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    external: ['better-sqlite3', 'better-sqlite3-multiple-ciphers'],
    banner: { js: "import { createRequire as outpostRequire } from 'node:module'; const require = outpostRequire(import.meta.url);" },
    logLevel: 'silent',
  })
})

type Acked = Map<string, string[]>

/** Starts the writer, lets it save for a random moment, then SIGKILLs it; returns what it acknowledged. */
function runAndKill(dataDir: string): Promise<Acked> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [writer, dataDir, migrationsDir, key.toString('hex')], {
      cwd: repoRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    const acked: Acked = new Map()
    let buffer = ''
    let stderr = ''
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    child.stdout.on('data', (chunk: Buffer) => {
      buffer += chunk.toString()
      const lines = buffer.split('\n')
      buffer = lines.pop() ?? ''
      for (const line of lines) {
        const [word, id, ...hashes] = line.split(' ')
        if (word !== 'ack' || !id) continue
        // Killed at a random moment once it is saving steadily: mid-file, mid-fsync or mid-commit.
        // Timed from the first acknowledgement so a slow, busy machine still tests something.
        if (acked.size === 0) setTimeout(() => child.kill('SIGKILL'), Math.random() * 250)
        acked.set(id, hashes)
      }
    })
    child.on('exit', (_code, signal) => (signal === 'SIGKILL' ? resolve(acked) : reject(new Error(`writer exited on its own: ${stderr}`))))
  })
}

/** The sha256 of an attachment's plaintext, read through the decrypting reader. */
async function sha(dataDir: string, sha256: string): Promise<string> {
  setAttachmentKey(dataDir, key)
  const reader = await openAttachment(dataDir, sha256)
  try {
    return createHash('sha256').update(await reader.readAll()).digest('hex')
  } finally {
    await reader.close()
  }
}

async function check(dataDir: string, acked: Acked): Promise<void> {
  const db = openSqlite(join(dataDir, 'outpost.db'), key)
  try {
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok')
    // The search indexes and the counts written with each batch (index-batch.ts) are whole too.
    db.exec("INSERT INTO records_fts (records_fts) VALUES ('integrity-check')")
    db.exec("INSERT INTO records_answers (records_answers) VALUES ('integrity-check')")
    const counted = db.prepare('SELECT form_id, status, n FROM record_counts WHERE n > 0 ORDER BY 1, 2').all()
    const actual = db.prepare('SELECT form_id, status, count(*) AS n FROM records WHERE deleted_at IS NULL GROUP BY 1, 2 ORDER BY 1, 2').all()
    expect(counted).toEqual(actual)
    // A bulk create's records are indexed after its commit: each record is either in the search
    // index or in a range still waiting (never both), and the next open indexes the rest.
    const waiting = (rid: string) => `EXISTS (SELECT 1 FROM records_unindexed u WHERE u.first_rid <= ${rid} AND u.last_rid >= ${rid})`
    const recordCount = (db.prepare('SELECT count(*) AS n FROM records').get() as { n: number }).n
    const indexed = (db.prepare('SELECT count(*) AS n FROM records_fts_docsize').get() as { n: number }).n
    const left = (db.prepare(`SELECT count(*) AS n FROM records WHERE ${waiting('rid')}`).get() as { n: number }).n
    expect(indexed + left).toBe(recordCount)
    expect(db.prepare(`SELECT count(*) AS n FROM records_fts_docsize WHERE ${waiting('id')}`).get()).toEqual({ n: 0 })
    indexBacklog(db)
    db.exec("INSERT INTO records_fts (records_fts) VALUES ('integrity-check')")
    db.exec("INSERT INTO records_answers (records_answers) VALUES ('integrity-check')")
    expect(db.prepare('SELECT count(*) AS n FROM records_fts_docsize').get()).toEqual({ n: recordCount })
    const rows = db.prepare('SELECT record_id, sha256, size FROM attachments').all() as { record_id: string; sha256: string; size: number }[]
    const byRecord = new Map<string, string[]>()
    for (const row of rows) byRecord.set(row.record_id, [...(byRecord.get(row.record_id) ?? []), row.sha256])
    const records = new Set((db.prepare('SELECT id FROM records').all() as { id: string }[]).map((r) => r.id))
    for (const [id, hashes] of acked) {
      expect(records.has(id), `acknowledged record ${id} is missing`).toBe(true)
      expect((byRecord.get(id) ?? []).sort()).toEqual([...hashes].sort())
    }
    // Every reference in the database, acknowledged or not, points at a complete file.
    for (const row of rows) expect(await sha(dataDir, row.sha256)).toBe(row.sha256)
  } finally {
    db.close()
  }
}

describe('a crash while saving records and attachments', () => {
  it('keeps every acknowledged record with intact attachments, across 50 kills', async () => {
    // Two independent data folders side by side keep the 50 kills within a minute on two cores.
    const lanes = [join(temp.dir, 'a'), join(temp.dir, 'b')]
    const all = lanes.map((): Acked => new Map())
    await Promise.all(
      lanes.map(async (dataDir, lane) => {
        for (let round = 0; round < 25; round++) {
          const acked = await runAndKill(dataDir)
          for (const [id, hashes] of acked) all[lane]?.set(id, hashes)
          await check(dataDir, all[lane] ?? new Map<string, string[]>())
        }
      }),
    )
    const total = all.reduce((n, m) => n + m.size, 0)
    expect(total).toBeGreaterThanOrEqual(50)
  }, 120_000)
})
