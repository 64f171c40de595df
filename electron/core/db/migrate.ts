import type BetterSqlite3 from 'better-sqlite3'
import { createHash } from 'node:crypto'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { AppFailure } from '../../../shared/errors'
import {
  checkMigrationFiles,
  parseMigrationFileName,
  planMigrations,
  type AppliedMigration,
  type MigrationFile,
} from '../../../shared/migrations'

export function sha256Hex(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex')
}

/** Reads `NNNN_name.sql` files; any other file in the folder is a mistake worth refusing. */
export function loadMigrationFiles(dir: string): MigrationFile[] {
  const files = readdirSync(dir).filter((file) => file.endsWith('.sql'))
  return checkMigrationFiles(
    files.map((file) => {
      const parsed = parseMigrationFileName(file)
      if (!parsed) {
        throw new AppFailure('schema_mismatch', `Migration file "${file}" is not named NNNN_snake_case.sql.`)
      }
      const sql = readFileSync(join(dir, file), 'utf8')
      return { ...parsed, sql, checksum: sha256Hex(sql) }
    }),
  )
}

// Raw SQL here: the runner must work before any typed schema exists.
const createLedger = `CREATE TABLE IF NOT EXISTS schema_migrations (
  version INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  checksum TEXT NOT NULL,
  applied_at INTEGER NOT NULL
) STRICT`

export function appliedMigrations(db: BetterSqlite3.Database): AppliedMigration[] {
  db.exec(createLedger)
  return db
    .prepare('SELECT version, name, checksum FROM schema_migrations ORDER BY version')
    .all() as AppliedMigration[]
}

/**
 * Brings the database to `target` (default: the latest file). Each file runs in its own
 * transaction together with its ledger row, so a crash leaves either all of it or none.
 */
export function migrate(
  db: BetterSqlite3.Database,
  files: readonly MigrationFile[],
  options: { target?: number; now?: () => number } = {},
): number[] {
  const now = options.now ?? Date.now
  const pending = planMigrations(files, appliedMigrations(db), options.target)
  const record = db.prepare(
    'INSERT INTO schema_migrations (version, name, checksum, applied_at) VALUES (?, ?, ?, ?)',
  )
  for (const file of pending) {
    db.transaction(() => {
      db.exec(file.sql)
      record.run(file.version, file.name, file.checksum, now())
    })()
  }
  return pending.map((file) => file.version)
}

export function schemaVersion(db: BetterSqlite3.Database): number {
  const row = db.prepare('SELECT MAX(version) AS version FROM schema_migrations').get() as
    | { version: number | null }
    | undefined
  return row?.version ?? 0
}
