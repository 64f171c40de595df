import type { SelectQueryBuilder } from 'kysely'
import { sql } from 'kysely'
import type { Store } from '../db/open'
import type { Schema } from '../db/schema'

/**
 * Deep jumps in a long list. OFFSET walks the index one entry at a time, so row 900,000 costs
 * a million steps. For the not-null sorts (updated, created, status) the core remembers the key
 * of every `every`-th row of a list (one window-function pass, the first time a deep window is
 * asked for) and answers any window by seeking to the nearest remembered key and skipping less
 * than `every` rows. Any write on the connection, or by another one, forgets the marks.
 */
export const every = 5_000

type SortKey = readonly (string | number)[]
type Marks = { stamp: string; keys: SortKey[] }
type KeyQuery = SelectQueryBuilder<Schema, 'records', { rid: number }>

export type SeekPlan = { after?: SortKey; offset: number }
export type Order = { columns: readonly string[]; direction: 'asc' | 'desc' }

const marksByList = new Map<string, Marks>()
const maxLists = 20

/** Changes by this connection (total_changes) or any other (data_version) make a new stamp. */
function stamp(store: Store): string {
  const version = store.sqlite.pragma('data_version', { simple: true }) as number
  const changes = store.sqlite.prepare('SELECT total_changes() AS n').get() as { n: number }
  return `${version}:${changes.n}`
}

/**
 * The plan for a window: seek after a remembered key, then skip the rest. `columns` are the
 * ORDER BY columns (all one direction, ending in rid); `query` is the filtered, ordered list.
 */
export async function planSeek(store: Store, signature: string, order: Order, query: KeyQuery, offset: number): Promise<SeekPlan> {
  if (offset < every) return { offset }
  const current = stamp(store)
  let marks = marksByList.get(signature)
  if (!marks || marks.stamp !== current) {
    marks = { stamp: current, keys: await collectMarks(store, order, query) }
    if (marksByList.size >= maxLists) marksByList.delete(marksByList.keys().next().value ?? '')
    marksByList.set(signature, marks)
  }
  const block = Math.min(Math.floor(offset / every), marks.keys.length)
  if (block === 0) return { offset }
  return { after: marks.keys[block - 1], offset: offset - block * every }
}

/**
 * One pass over the covering index numbering the rows in list order (raw SQL: kysely cannot
 * filter on a window function's result), keeping the key of the last row of each block.
 */
async function collectMarks(store: Store, order: Order, query: KeyQuery): Promise<SortKey[]> {
  const orderBy = sql.join(order.columns.map((c) => sql`${sql.ref(c)} ${sql.raw(order.direction)}`))
  const numbered = query
    .clearSelect()
    .clearOrderBy()
    .select([...order.columns.map((c) => sql<string | number>`${sql.ref(c)}`.as(c)), sql<number>`row_number() OVER (ORDER BY ${orderBy})`.as('position')])
  const rows = await store.db
    .selectFrom(numbered.as('numbered'))
    .selectAll()
    .where(sql<boolean>`position % ${every} = 0`)
    .execute()
  return rows.map((row) => order.columns.map((c) => (row as Record<string, string | number>)[c] ?? 0))
}

/** Rows strictly after a key in list order: a row-value comparison the index can seek on. */
export function afterKey(order: Order, key: SortKey) {
  const op = order.direction === 'desc' ? '<' : '>'
  return sql<boolean>`(${sql.join(order.columns.map((c) => sql.ref(c)))}) ${sql.raw(op)} (${sql.join([...key])})`
}
