import { AppFailure } from './errors'

/**
 * The rules every migration runner in Outpost follows (desktop SQLite and registry PostgreSQL):
 * files are `NNNN_snake_case.sql`, forward-only and immutable once landed. A database records the
 * version, name and sha256 of each file it applied; the runner refuses a database whose record
 * disagrees with the files (a changed or renamed file, a gap) or that is newer than the app.
 */
export type MigrationFile = { version: number; name: string; sql: string; checksum: string }
export type AppliedMigration = { version: number; name: string; checksum: string }

const fileName = /^(\d{4})_([a-z0-9_]+)\.sql$/

export function parseMigrationFileName(file: string): { version: number; name: string } | null {
  const match = fileName.exec(file)
  if (!match?.[1] || !match[2]) return null
  return { version: Number(match[1]), name: match[2] }
}

/** Checks the files themselves: numbered 1..n without gaps or duplicates. */
export function checkMigrationFiles(files: readonly MigrationFile[]): MigrationFile[] {
  const sorted = [...files].sort((a, b) => a.version - b.version)
  sorted.forEach((file, index) => {
    if (file.version !== index + 1) {
      throw new AppFailure(
        'schema_mismatch',
        `Migration files must be numbered 0001, 0002, … without gaps; found ${String(file.version).padStart(4, '0')}_${file.name}.sql at position ${index + 1}.`,
      )
    }
  })
  return sorted
}

/**
 * Returns the migrations still to apply (up to `target`, default all), or throws an AppFailure
 * that says what is wrong with the database.
 */
export function planMigrations(
  files: readonly MigrationFile[],
  applied: readonly AppliedMigration[],
  target?: number,
): MigrationFile[] {
  const known = checkMigrationFiles(files)
  const latest = known.length
  for (const row of [...applied].sort((a, b) => a.version - b.version)) {
    const file = known[row.version - 1]
    if (!file) {
      throw new AppFailure(
        'schema_newer',
        `This database was written by a newer version of Outpost (schema ${row.version}, this app knows ${latest}). Install the newer version; nothing was changed.`,
        { databaseVersion: row.version, appVersion: latest },
      )
    }
    if (file.name !== row.name || file.checksum !== row.checksum) {
      throw new AppFailure(
        'schema_mismatch',
        `Migration ${String(row.version).padStart(4, '0')} applied to this database (${row.name}) differs from the one in this app (${file.name}). Migrations must never change once released; nothing was changed.`,
        { version: row.version, applied: row.name, file: file.name },
      )
    }
  }
  const appliedVersions = new Set(applied.map((row) => row.version))
  const upTo = target ?? latest
  return known.filter((file) => file.version <= upTo && !appliedVersions.has(file.version))
}
