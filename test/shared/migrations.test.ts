import { describe, expect, it } from 'vitest'
import { AppFailure } from '../../shared/errors'
import { parseMigrationFileName, planMigrations, type MigrationFile } from '../../shared/migrations'

const file = (version: number, name: string, checksum = `sum${version}`): MigrationFile => ({ version, name, sql: '', checksum })
const files = [file(1, 'init'), file(2, 'records'), file(3, 'search')]

function failure(run: () => unknown): AppFailure {
  try {
    run()
  } catch (error) {
    if (error instanceof AppFailure) return error
    throw error
  }
  throw new Error('expected a failure')
}

describe('migration planning', () => {
  it('parses only NNNN_snake_case.sql names', () => {
    expect(parseMigrationFileName('0012_add_index.sql')).toEqual({ version: 12, name: 'add_index' })
    expect(parseMigrationFileName('12_add_index.sql')).toBeNull()
    expect(parseMigrationFileName('0012-Add.sql')).toBeNull()
  })

  it('plans what is missing, up to a target', () => {
    expect(planMigrations(files, []).map((f) => f.version)).toEqual([1, 2, 3])
    expect(planMigrations(files, [file(1, 'init')], 2).map((f) => f.version)).toEqual([2])
  })

  it('refuses a database newer than the app', () => {
    const error = failure(() => planMigrations(files, [...files, file(4, 'future')]))
    expect(error.code).toBe('schema_newer')
    expect(error.message).toMatch(/newer version of Outpost/)
  })

  it('refuses a migration whose file changed after it was applied', () => {
    const error = failure(() => planMigrations(files, [file(1, 'init', 'other')]))
    expect(error.code).toBe('schema_mismatch')
    expect(error.message).toMatch(/must never change/)
  })

  it('refuses gaps in the numbering', () => {
    expect(failure(() => planMigrations([file(1, 'a'), file(3, 'c')], [])).code).toBe('schema_mismatch')
  })
})
