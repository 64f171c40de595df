import { mkdirSync } from 'node:fs'
import { PGlite } from '@electric-sql/pglite'
import { Kysely, PostgresDialect } from 'kysely'
import pg from 'pg'
import { lockDataDir } from './data-dir-lock'
import { PgliteDialect } from './pglite-dialect'
import type { Database } from './schema'

export type RegistryDb = Kysely<Database>
export type DatabaseTarget = { databaseUrl: string } | { dataDir: string | null }
export type OpenedDatabase = {
  db: RegistryDb
  kind: 'postgres' | 'pglite'
  close: () => Promise<void>
}

// int8 and xid8 arrive as text so that no feed position or count is rounded by a JS number.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => value)

/**
 * Opens PostgreSQL when a URL is given, otherwise PGlite in `dataDir` (in memory when null, for
 * tests). The pool is the only thing the registry keeps between requests, and it holds no data.
 */
export async function openDatabase(
  target: DatabaseTarget,
  poolSize = 10,
  holder = 'the registry',
): Promise<OpenedDatabase> {
  if ('databaseUrl' in target) {
    const pool = new pg.Pool({ connectionString: target.databaseUrl, max: poolSize })
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) })
    return { db, kind: 'postgres', close: () => db.destroy() }
  }
  let unlock = (): void => undefined
  if (target.dataDir) {
    mkdirSync(target.dataDir, { recursive: true })
    unlock = lockDataDir(target.dataDir, holder)
  }
  const pglite = target.dataDir ? new PGlite(target.dataDir) : new PGlite()
  await pglite.waitReady
  const db = new Kysely<Database>({ dialect: new PgliteDialect(pglite) })
  const close = async (): Promise<void> => {
    await db.destroy()
    unlock()
  }
  return { db, kind: 'pglite', close }
}
