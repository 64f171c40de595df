import type Database from 'better-sqlite3'
import { stmt } from '../sync/statements'

/** Rows per statement: 100 rows of ~10 values stays far below SQLite's bound-parameter limit. */
export const rowsPerStatement = 100

/**
 * Inserts rows with one multi-row `INSERT … VALUES (…), (…)` per hundred rows instead of one
 * statement per row. A table with an insert trigger (record_ops has sync's) makes every statement
 * on it open a statement journal, which copies each page it touches first: paid once per
 * statement, not once per row. `into` is "INSERT INTO t (a, b)", `row` the placeholders of one
 * row, "(?, ?)", with `width` of them; `values` holds the rows' values one row after another.
 */
export function insertRows(
  sqlite: Database.Database,
  into: string,
  row: string,
  width: number,
  values: readonly unknown[],
): void {
  const perStatement = rowsPerStatement * width
  for (let start = 0; start < values.length; start += perStatement) {
    const chunk = values.slice(start, start + perStatement)
    stmt(
      sqlite,
      `${into} VALUES ${Array<string>(chunk.length / width)
        .fill(row)
        .join(', ')}`,
    ).run(chunk)
  }
}
