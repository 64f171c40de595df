import type { SelectQueryBuilder } from 'kysely'
import { sql } from 'kysely'
import type { Store } from '../db/open'
import type { Schema } from '../db/schema'

/**
 * Deep jumps in a long list. OFFSET walks the index one entry at a time, so row 900,000 costs
 * a million steps every time. For the not-null sorts (updated, created, status) the core
 * remembers the key of every `every`-th row of a list, found lazily by the same walk (a jump
 * to row 900,000 marks the blocks before it as it goes), and answers later windows by seeking
 * to the nearest mark and skipping fewer than `every` rows. The first deep jump after a write
 * costs what plain OFFSET costs; the ones after it cost a seek. Any write on this connection,
 * or by another one, forgets the marks, since positions may have moved.
 */
export const every = 5_000

type SortKey = readonly (string | number)[]
type Marks = { stamp: string; keys: SortKey[] }
type KeyQuery = SelectQueryBuilder<Schema, 'records', { rid: number }>

export type SeekPlan = { after?: SortKey; offset: number }
export type Order = { columns: readonly string[]; direction: 'asc' | 'desc' }

// Per store (tests and tools open several), a few lists each: a screen shows one at a time.
const marksByStore = new WeakMap<Store, Map<string, Marks>>()
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
  let marksByList = marksByStore.get(store)
  if (!marksByList) marksByStore.set(store, (marksByList = new Map<string, Marks>()))
  let marks = marksByList.get(signature)
  if (!marks || marks.stamp !== current) {
    marks = { stamp: current, keys: [] }
    if (marksByList.size >= maxLists) marksByList.delete(marksByList.keys().next().value ?? '')
    marksByList.set(signature, marks)
  }
  const wanted = Math.floor(offset / every)
  while (marks.keys.length < wanted) {
    const key = await nextMark(order, query, marks.keys.at(-1))
    if (!key) break // the list ends before this block
    marks.keys.push(key)
  }
  const block = Math.min(wanted, marks.keys.length)
  if (block === 0) return { offset }
  return { after: marks.keys[block - 1], offset: offset - block * every }
}

/** The key of the last row of the block after `previous`: one index walk of `every` entries. */
async function nextMark(order: Order, query: KeyQuery, previous: SortKey | undefined): Promise<SortKey | undefined> {
  const keyed = query.clearSelect().select(order.columns.map((c) => sql<string | number>`${sql.ref(c)}`.as(c)))
  const row = await (previous ? keyed.where(afterKey(order, previous)) : keyed).limit(1).offset(every - 1).executeTakeFirst()
  return row ? order.columns.map((c) => (row as Record<string, string | number>)[c] ?? 0) : undefined
}

/** Rows strictly after a key in list order: a row-value comparison the index can seek on. */
export function afterKey(order: Order, key: SortKey) {
  const op = order.direction === 'desc' ? '<' : '>'
  return sql<boolean>`(${sql.join(order.columns.map((c) => sql.ref(c)))}) ${sql.raw(op)} (${sql.join([...key])})`
}
