import { spawn } from 'node:child_process'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { openSqlite } from '../../electron/core/db/open'
import { makeTempDir, migrationsDir, repoRoot } from '../helpers/paths'

const temp = makeTempDir('outpost-crash-')
afterAll(() => temp.cleanup())

/** Runs the writer until it has acknowledged some ops, then SIGKILLs it mid-burst. */
function runAndKill(dbFile: string, killAfterAcks: number): Promise<Set<string>> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(repoRoot, 'test/core/crash-writer.ts'), dbFile, migrationsDir], {
      cwd: repoRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    const acked = new Set<string>()
    let buffer = ''
    let stderr = ''
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    child.stdout.on('data', (chunk: Buffer) => {
      buffer += chunk.toString()
      const lines = buffer.split('\n')
      buffer = lines.pop() ?? ''
      for (const line of lines) if (line.startsWith('ack ')) acked.add(line.slice(4))
      if (acked.size >= killAfterAcks) child.kill('SIGKILL')
    })
    child.on('exit', (_code, signal) =>
      signal === 'SIGKILL' ? resolve(acked) : reject(new Error(`writer exited on its own: ${stderr}`)),
    )
  })
}

describe('a crash in the middle of a burst of writes', () => {
  it('leaves the database openable with every acknowledged op present (5 kills)', async () => {
    const dbFile = join(temp.dir, 'crash.db')
    const allAcked = new Set<string>()
    for (let round = 0; round < 5; round++) {
      const acked = await runAndKill(dbFile, 50 + Math.floor(Math.random() * 400))
      acked.forEach((id) => allAcked.add(id))
      const db = openSqlite(dbFile)
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok')
      const present = new Set((db.prepare('SELECT id FROM record_ops').all() as { id: string }[]).map((r) => r.id))
      const missing = [...allAcked].filter((id) => !present.has(id))
      expect(missing).toEqual([])
      // Every record's values agree with its last logged value (a set, or the create op's initial
      // values): no half-applied change.
      const torn = db
        .prepare(
          `SELECT r.id FROM records r
           WHERE json_extract(r.values_json, '$.age') IS NOT
             (SELECT CASE o.kind WHEN 'create' THEN json_extract(o.new_value, '$.values.age') ELSE json_extract(o.new_value, '$') END
              FROM record_ops o WHERE o.record_id = r.id AND (o.field_path = 'age' OR o.kind = 'create') ORDER BY o.seq DESC LIMIT 1)`,
        )
        .all()
      expect(torn).toEqual([])
      db.close()
    }
    expect(allAcked.size).toBeGreaterThan(250)
  }, 120_000)
})
