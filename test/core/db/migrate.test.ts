import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { loadMigrationFiles, migrate, schemaVersion } from '../../../electron/core/db/migrate'
import { openSqlite, openStore } from '../../../electron/core/db/open'
import { makeTempDir, migrationsDir } from '../../helpers/paths'

const temps: Array<() => void> = []
afterEach(() => temps.splice(0).forEach((cleanup) => cleanup()))
function temp(): string {
  const t = makeTempDir()
  temps.push(t.cleanup)
  return t.dir
}

describe('migration runner on a real SQLite file', () => {
  it('applies every migration once, recording name and sha256', () => {
    const db = openSqlite(join(temp(), 'a.db'))
    const files = loadMigrationFiles(migrationsDir)
    expect(migrate(db, files)).toEqual(files.map((f) => f.version))
    expect(migrate(db, files)).toEqual([])
    const ledger = db.prepare('SELECT version, name, checksum FROM schema_migrations').all()
    expect(ledger).toEqual(files.map(({ version, name, checksum }) => ({ version, name, checksum })))
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal')
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1)
    db.close()
  })

  it('keeps forms and settings written at schema 1 when moving to schema 2 (records)', () => {
    const db = openSqlite(join(temp(), 'b.db'))
    const files = loadMigrationFiles(migrationsDir)
    migrate(db, files, { target: 1 })
    db.prepare("INSERT INTO settings (key, value, updated_at) VALUES ('language', '\"fr\"', 1)").run()
    db.prepare("INSERT INTO forms (id, form_id, title, created_at, updated_at) VALUES ('f1', 'hh', 'Household', 1, 1)").run()
    db.prepare(
      "INSERT INTO form_versions (id, form_id, version, title, xform, sha256, created_at) VALUES ('v1', 'f1', '1', 'Household', '<x/>', 'h', 1)",
    ).run()
    migrate(db, files, { target: 2 })
    expect(db.prepare('SELECT value FROM settings').get()).toEqual({ value: '"fr"' })
    db.prepare(
      "INSERT INTO records (id, form_id, form_version_id, created_by, created_at, updated_by, updated_at) VALUES ('r1', 'f1', 'v1', 'u', 1, 'u', 1)",
    ).run()
    expect(db.prepare('SELECT r.status, v.title FROM records r JOIN form_versions v ON v.id = r.form_version_id').get()).toEqual({
      status: 'draft',
      title: 'Household',
    })
    db.close()
  })

  it('refuses to open a database written by a newer app, and changes nothing', () => {
    const dir = temp()
    const file = join(dir, 'c.db')
    const db = openSqlite(file)
    migrate(db, loadMigrationFiles(migrationsDir))
    db.prepare("INSERT INTO schema_migrations VALUES (99, 'from_the_future', 'x', 1)").run()
    db.close()
    expect(() => openStore(file, migrationsDir)).toThrow(/newer version of Outpost/)
    const again = openSqlite(file)
    expect(schemaVersion(again)).toBe(99)
    again.close()
  })

  it('refuses a migration file that changed after it was applied', () => {
    const dir = temp()
    const changed = join(dir, 'migrations')
    mkdirSync(changed)
    for (const f of loadMigrationFiles(migrationsDir)) {
      copyFileSync(join(migrationsDir, `${String(f.version).padStart(4, '0')}_${f.name}.sql`), join(changed, `${String(f.version).padStart(4, '0')}_${f.name}.sql`))
    }
    const file = join(dir, 'd.db')
    const db = openSqlite(file)
    migrate(db, loadMigrationFiles(changed))
    db.close()
    writeFileSync(join(changed, '0001_init.sql'), '-- edited after release\nSELECT 1;')
    expect(() => openStore(file, changed)).toThrow(/must never change/)
  })

  it('rolls a failing migration back whole: no half-applied schema, no ledger row', () => {
    const dir = temp()
    const broken = join(dir, 'migrations')
    mkdirSync(broken)
    writeFileSync(join(broken, '0001_good.sql'), 'CREATE TABLE a (id TEXT PRIMARY KEY) STRICT;')
    writeFileSync(join(broken, '0002_bad.sql'), 'CREATE TABLE b (id TEXT PRIMARY KEY) STRICT;\nINSERT INTO nowhere VALUES (1);')
    const db = openSqlite(join(dir, 'e.db'))
    expect(() => migrate(db, loadMigrationFiles(broken))).toThrow(/no such table: nowhere/)
    expect(schemaVersion(db)).toBe(1)
    expect(db.prepare("SELECT name FROM sqlite_master WHERE name = 'b'").get()).toBeUndefined()
    db.close()
  })

  it('keeps the operation log append-only', () => {
    const store = openStore(join(temp(), 'f.db'), migrationsDir)
    const db = store.sqlite
    db.prepare("INSERT INTO forms VALUES ('f', 'f', 'F', 1, 1)").run()
    db.prepare("INSERT INTO form_versions (id, form_id, version, title, xform, sha256, created_at) VALUES ('v', 'f', '1', 'F', '<x/>', 'h', 1)").run()
    db.prepare("INSERT INTO records (id, form_id, form_version_id, created_by, created_at, updated_by, updated_at) VALUES ('r', 'f', 'v', 'u', 1, 'u', 1)").run()
    db.prepare(
      "INSERT INTO record_ops (id, seq, record_id, field_path, new_value, hlc, device_id, user_id, created_at) VALUES ('o', 1, 'r', 'age', '3', 'h', 'd', 'u', 1)",
    ).run()
    expect(() => db.prepare("UPDATE record_ops SET new_value = '4'").run()).toThrow(/append-only/)
    expect(() => db.prepare('DELETE FROM record_ops').run()).toThrow(/append-only/)
    expect(() => db.prepare("UPDATE form_versions SET xform = '<y/>'").run()).toThrow(/immutable/)
    db.close()
  })
})
