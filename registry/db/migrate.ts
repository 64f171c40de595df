import { createHash } from 'node:crypto'
import { readdirSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { sql } from 'kysely'
import type { AppliedMigration, MigrationFile } from '../../shared/migrations'
import { parseMigrationFileName, planMigrations } from '../../shared/migrations'
import type { RegistryDb } from './database'

const migrationsDir = fileURLToPath(new URL('../migrations/', import.meta.url))
// Any fixed number: every instance that starts at once queues on it instead of racing.
const migrationLockKey = 728_301_006

export function loadMigrationFiles(dir = migrationsDir): MigrationFile[] {
  return readdirSync(dir)
    .filter((file) => file.endsWith('.sql'))
    .map((file) => {
      const parsed = parseMigrationFileName(file)
      if (!parsed)
        throw new Error(`Not a migration file name: ${file} (expected NNNN_snake_case.sql)`)
      const text = readFileSync(`${dir}/${file}`, 'utf8')
      const checksum = createHash('sha256').update(text).digest('hex')
      return { ...parsed, sql: text, checksum }
    })
}

async function readApplied(db: RegistryDb): Promise<AppliedMigration[]> {
  // Under the lock: two instances creating the table at once would collide in the catalog.
  await sql`SELECT pg_advisory_xact_lock(${migrationLockKey})`.execute(db)
  await sql`CREATE TABLE IF NOT EXISTS schema_migrations (
    version integer PRIMARY KEY,
    name text NOT NULL,
    checksum text NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT now()
  )`.execute(db)
  return db.selectFrom('schema_migrations').select(['version', 'name', 'checksum']).execute()
}

/**
 * Applies what the shared rules plan, each file in its own transaction with its record row, under
 * an advisory lock so that two instances starting together apply each file once. Throws the
 * planner's AppFailure (schema_newer, schema_mismatch) without touching anything.
 */
export async function migrate(
  db: RegistryDb,
  files = loadMigrationFiles(),
  target?: number,
): Promise<number> {
  const applied = await db.transaction().execute((trx) => readApplied(trx))
  const pending = planMigrations(files, applied, target)
  let count = 0
  for (const file of pending) {
    await db.transaction().execute(async (trx) => {
      await sql`SELECT pg_advisory_xact_lock(${migrationLockKey})`.execute(trx)
      const done = await trx
        .selectFrom('schema_migrations')
        .select('version')
        .where('version', '=', file.version)
        .executeTakeFirst()
      if (done) return
      await sql.raw(file.sql).execute(trx)
      await trx
        .insertInto('schema_migrations')
        .values({ version: file.version, name: file.name, checksum: file.checksum })
        .execute()
      count += 1
    })
  }
  return count
}

/** True when the database holds every migration this build knows (the readiness check). */
export async function isMigrated(db: RegistryDb, files = loadMigrationFiles()): Promise<boolean> {
  const rows = await db.selectFrom('schema_migrations').select('version').execute()
  return rows.length === files.length
}
