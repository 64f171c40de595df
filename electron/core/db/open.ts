import type BetterSqlite3 from 'better-sqlite3'
import Database from 'better-sqlite3-multiple-ciphers'
import { Kysely, SqliteDialect } from 'kysely'
import { AppFailure } from '../../../shared/errors'
import { loadMigrationFiles, migrate } from './migrate'
import type { Schema } from './schema'

export type Store = {
  sqlite: BetterSqlite3.Database
  db: Kysely<Schema>
  close: () => Promise<void>
}

export type OpenOptions = { readonly?: boolean; fileMustExist?: boolean }

/**
 * The encryption of the local database: SQLite3 Multiple Ciphers (the better-sqlite3 API over
 * sqlite3mc), cipher AEGIS-256: an authenticated cipher (every page encrypted and its tag
 * checked, so a flipped byte is an error, never silent corruption) built on the AES round, which
 * every office laptop runs in hardware (AES-NI, ARMv8 crypto). Measured here it costs ~15% on a
 * page-heavy insert where ChaCha20-Poly1305 (sqlite3mc's default) cost ~100% and SQLCipher's
 * AES-CBC + HMAC-SHA512 ~110% (docs/security.md). The cipher and its algorithm are not stored in
 * the file, so both are pinned here. The 32-byte random data key is given raw (x'…'): no second
 * key derivation at each open, the password KDF already ran when the key was unwrapped.
 */
export function cipherPragmas(key: Uint8Array): string[] {
  if (key.length !== 32) throw new Error('The data key must be 32 bytes')
  return [`cipher = 'aegis'`, `algorithm = 'aegis-256'`]
}

function applyKey(sqlite: BetterSqlite3.Database, key: Uint8Array): void {
  for (const pragma of cipherPragmas(key)) sqlite.pragma(pragma)
  sqlite.pragma(`key = "x'${Buffer.from(key).toString('hex')}'"`)
  try {
    sqlite.prepare('SELECT count(*) FROM sqlite_master').get()
  } catch (error) {
    sqlite.close()
    if ((error as { code?: string }).code === 'SQLITE_NOTADB') {
      throw new AppFailure('unauthorized', 'The database on this laptop could not be opened with this key.')
    }
    throw error
  }
}

/**
 * Opens the SQLite file with the settings the "never lose a saved record" promise rests on:
 * WAL so readers never block the writer, synchronous=FULL so a committed transaction survives a
 * power cut (NORMAL only survives a process crash), foreign keys on, and a busy timeout so a
 * second connection waits instead of failing. With a key, temp_store=MEMORY keeps sorts and
 * temporary tables in memory, so no plaintext spills into an unencrypted temp file.
 */
export function openSqlite(file: string, key?: Uint8Array, options: OpenOptions = {}): BetterSqlite3.Database {
  const sqlite = new Database(file, options) as unknown as BetterSqlite3.Database
  if (key) {
    applyKey(sqlite, key)
    sqlite.pragma('temp_store = MEMORY')
  }
  if (!options.readonly) sqlite.pragma('journal_mode = WAL')
  sqlite.pragma('synchronous = FULL')
  sqlite.pragma('foreign_keys = ON')
  sqlite.pragma('busy_timeout = 5000')
  return sqlite
}

/** The app's store: migrated to the latest schema. The core always passes the data key. */
export function openStore(file: string, migrationsDir: string, key?: Uint8Array): Store {
  const sqlite = openSqlite(file, key)
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
