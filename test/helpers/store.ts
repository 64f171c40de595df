import { join } from 'node:path'
import type Database from 'better-sqlite3'
import { loadMigrationFiles, migrate } from '../../electron/core/db/migrate'
import { openSqlite, openStore, type Store } from '../../electron/core/db/open'
import { loadSelfDevice } from '../../electron/core/device'
import type { Actor } from '../../electron/core/records/ops'
import { makeTempDir, migrationsDir } from './paths'

/** SQL for one form 'f' (form id 'hh') with one version: what most store tests need (the XForm is never read). */
export const oneFormSql = (versionId: string): string =>
  `INSERT INTO forms (id, form_id, title, created_at, updated_at) VALUES ('f', 'hh', 'H', 1, 1);
   INSERT INTO form_versions (id, form_id, version, title, xform, sha256, created_at) VALUES ('${versionId}', 'f', '1', 'H', '<x/>', 'h', 1)`

/**
 * A laptop's store on a real SQLite file in a temporary folder: migrated, `seed` run on the bare
 * file (forms, versions), then opened as the app opens it, with an actor of this laptop.
 * `cleanup` closes the store and removes the folder.
 */
export async function tempStore(
  seed: (db: Database.Database) => void,
): Promise<{ store: Store; actor: Actor; cleanup: () => Promise<void> }> {
  const temp = makeTempDir()
  const file = join(temp.dir, 'a.db')
  const db = openSqlite(file)
  migrate(db, loadMigrationFiles(migrationsDir))
  seed(db)
  db.close()
  const store = openStore(file, migrationsDir)
  const cleanup = async () => {
    await store.close()
    temp.cleanup()
  }
  return { store, actor: { device: await loadSelfDevice(store), userId: 'u' }, cleanup }
}
