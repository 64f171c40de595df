import Database from 'better-sqlite3'
import { Kysely, SqliteDialect } from 'kysely'
import { loadMigrationFiles, migrate } from './migrate'
import type { Schema } from './schema'

export type Store = {
  sqlite: Database.Database
  db: Kysely<Schema>
  close: () => Promise<void>
}

/**
 * Opens the SQLite file with the settings the "never lose a saved record" promise rests on:
 * WAL so readers never block the writer, synchronous=FULL so a committed transaction survives a
 * power cut (NORMAL only survives a process crash), foreign keys on, and a busy timeout so a
 * second connection waits instead of failing.
 */
export function openSqlite(file: string): Database.Database {
  const sqlite = new Database(file)
  sqlite.pragma('journal_mode = WAL')
  sqlite.pragma('synchronous = FULL')
  sqlite.pragma('foreign_keys = ON')
  sqlite.pragma('busy_timeout = 5000')
  return sqlite
}

export function openStore(file: string, migrationsDir: string): Store {
  const sqlite = openSqlite(file)
  try {
    migrate(sqlite, loadMigrationFiles(migrationsDir))
  } catch (error) {
    sqlite.close()
    throw error
  }
  const db = new Kysely<Schema>({ dialect: new SqliteDialect({ database: sqlite }) })
  return {
    sqlite,
    db,
    // Kysely's destroy closes the underlying better-sqlite3 connection too.
    close: () => db.destroy(),
  }
}
