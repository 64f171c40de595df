import type Database from 'better-sqlite3'
import type { Store } from '../db/open'
import { stmt } from '../sync/statements'
import { indexSearchEntries } from './index-batch'

/**
 * Bulk creates index later (migration 0012). createRecords of `bulkCreate` records or more
 * commits the records, their ops, counts and clocks, and notes their rids in records_unindexed in
 * the same transaction; their search text and answer tokens are written afterwards, a slice at a
 * time, each slice its own transaction. The full-text index was a third of a bulk insert, and
 * bigger slices make fewer, larger index segments (cheaper per record than one per thousand).
 *
 * Nothing reads an index with records missing from it: search and the question filter call
 * `indexBacklog` first (list.ts), which indexes whatever is left. Between those reads the core
 * indexes in its idle time (`indexWhenIdle`), and a store opened with a backlog (after a crash
 * or a quit) indexes it the same way. A record saved one at a time (fewer than `bulkCreate`)
 * is indexed in its own transaction as before: one commit, nothing left over.
 */

/** A create of this many records or more leaves its search entries to the backlog. */
export const bulkCreate = 100
/** Records per transaction while idle: short enough not to hold up a call that arrives. */
export const idleSlice = 2_000
/** Records per transaction when a read waits for the index. */
export const catchUpSlice = 20_000

type Range = { first_rid: number; last_rid: number }

/** Notes rids first..last as written and not indexed, in the writer's transaction. */
export function noteUnindexed(sqlite: Database.Database, first: number, last: number): void {
  if (last < first) return
  // Consecutive bulk creates extend one range instead of adding a row each.
  const extended = stmt(
    sqlite,
    'UPDATE records_unindexed SET last_rid = ? WHERE first_rid = (SELECT MAX(first_rid) FROM records_unindexed) AND last_rid = ?',
  ).run(last, first - 1)
  if (extended.changes === 0) stmt(sqlite, 'INSERT INTO records_unindexed (first_rid, last_rid) VALUES (?, ?)').run(first, last)
}

/** How many records wait to be indexed (rids in ranges; a record deleted since counts too). */
export function backlogSize(sqlite: Database.Database): number {
  const row = stmt(sqlite, 'SELECT COALESCE(SUM(last_rid - first_rid + 1), 0) AS n FROM records_unindexed').get() as { n: number }
  return row.n
}

const hasBacklog = (sqlite: Database.Database): boolean => stmt(sqlite, 'SELECT 1 FROM records_unindexed LIMIT 1').get() !== undefined

type Row = { rid: number; instance_name: string | null; values_json: string }

/** Indexes up to `max` waiting records, the oldest first, in one transaction; returns how many rids it took. */
export function indexSlice(sqlite: Database.Database, max: number): number {
  return sqlite.transaction(() => {
    const range = stmt(sqlite, 'SELECT first_rid, last_rid FROM records_unindexed ORDER BY first_rid LIMIT 1').get() as Range | undefined
    if (!range) return 0
    const last = Math.min(range.last_rid, range.first_rid + max - 1)
    if (last === range.last_rid) stmt(sqlite, 'DELETE FROM records_unindexed WHERE first_rid = ?').run(range.first_rid)
    else stmt(sqlite, 'UPDATE records_unindexed SET first_rid = ? WHERE first_rid = ?').run(last + 1, range.first_rid)
    // Read and parsed a thousand at a time: a catch-up slice holds 20,000 records, tens of MB
    // once parsed (no faster or slower measured, test/bench/store.ts).
    const read = stmt(sqlite, 'SELECT rid, instance_name, values_json FROM records WHERE rid BETWEEN ? AND ?')
    for (let from = range.first_rid; from <= last; from += 1_000) {
      const rows = read.all(from, Math.min(last, from + 999)) as Row[]
      indexSearchEntries(
        sqlite,
        rows.map((row) => ({ rid: row.rid, instanceName: row.instance_name, values: JSON.parse(row.values_json) as Record<string, unknown> })),
      )
    }
    return last - range.first_rid + 1
  }).immediate()
}

/** Indexes every waiting record now (before a read of the indexes); returns how many rids it took. */
export function indexBacklog(sqlite: Database.Database, slice = catchUpSlice): number {
  let done = 0
  while (hasBacklog(sqlite)) done += indexSlice(sqlite, slice)
  return done
}

const idle = new WeakMap<Database.Database, NodeJS.Immediate>()

/**
 * Indexes the backlog in the core's idle time: one slice per turn of the event loop, so calls
 * that arrive meanwhile are served between slices. Does nothing when there is no backlog or a
 * turn is already scheduled; stops when the store closes.
 */
export function indexWhenIdle(store: Store): void {
  const { sqlite } = store
  if (idle.has(sqlite)) return
  const turn = (): void => {
    idle.delete(sqlite)
    if (!sqlite.open || !hasBacklog(sqlite)) return
    // A transaction awaiting something holds the connection: come back once it is done.
    if (sqlite.inTransaction) return void setTimeout(() => indexWhenIdle(store), 10).unref()
    // A busy database (another connection writing) or a failed slice stops this round only: the
    // records are saved and stay in the backlog, the next bulk create schedules another round
    // and a search or question filter indexes them itself.
    try {
      indexSlice(sqlite, idleSlice)
    } catch {
      return
    }
    schedule()
  }
  const schedule = (): void => {
    const next = setImmediate(turn)
    next.unref()
    idle.set(sqlite, next)
  }
  if (sqlite.open && hasBacklog(sqlite)) schedule()
}
