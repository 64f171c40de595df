import type { ExpressionBuilder, SelectQueryBuilder } from 'kysely'
import { sql } from 'kysely'
import type { z } from 'zod'
import type { RecordSummary, recordsListInputSchema, recordsSearchInputSchema } from '../../../shared/api'
import type { Store } from '../db/open'
import type { Schema } from '../db/schema'
import { indexBacklog } from './index-backlog'
import { afterKey, planSeek, type Order } from './list-window'
import { summaryColumns, toSummary } from './read'

/** `ownedBy`: only records this user created (a collector's or a clerk's own list). */
type ListArgs = z.output<typeof recordsListInputSchema> & { ownedBy?: string | undefined }
type SearchArgs = z.output<typeof recordsSearchInputSchema> & { ownedBy?: string | undefined }
type Eb = ExpressionBuilder<Schema, 'records'>

export const questionCountCap = 1_000

const sortColumn = { updated: 'updated_at', created: 'created_at', status: 'status', instanceName: 'instance_name' } as const

/** The JSON path of a top-level field, quoted so that '/' and '.' in names stay literal. */
export const jsonPath = (path: string): string => `$."${path.replace(/"/g, '""')}"`

/**
 * Letters and digits of a query as quoted terms, the last one a prefix: "Maria São J" →
 * "Maria" "São" "J"*. Type-ahead completes the word being typed; whole words before it stay
 * exact, because FTS5 streams an exact term's postings lazily (and stops at the page) where a
 * prefix term is merged whole first.
 */
export function ftsQuery(text: string, prefixLast = true): string | undefined {
  const tokens = text.match(/[\p{L}\p{N}]+/gu)
  if (!tokens) return undefined
  return tokens.map((t, i) => (prefixLast && i === tokens.length - 1 ? `"${t}"*` : `"${t}"`)).join(' ')
}

/** How a question filter finds its candidates (see `questionPlan`). */
type QuestionPlan = 'answers-sparse' | 'answers-dense' | 'words' | 'scan'

function filtered<O>(query: SelectQueryBuilder<Schema, 'records', O>, args: ListArgs, plan: QuestionPlan = 'scan'): SelectQueryBuilder<Schema, 'records', O> {
  let q = query.where('form_id', '=', args.formId).where('deleted_at', args.deleted ? 'is not' : 'is', null)
  if (args.ownedBy !== undefined) q = q.where('created_by', '=', args.ownedBy)
  return withFilter(q, args.filter, plan)
}

type Filter = ListArgs['filter']

/** Status, date range and question conditions, shared by the list and the search. */
function withFilter<O>(query: SelectQueryBuilder<Schema, 'records', O>, filter: Filter, plan: QuestionPlan): SelectQueryBuilder<Schema, 'records', O> {
  let q = query
  if (filter.status) q = q.where('status', 'in', filter.status)
  const dateColumn = filter.dateField === 'created' ? 'created_at' : 'updated_at'
  if (filter.from !== undefined) q = q.where(dateColumn, '>=', filter.from)
  if (filter.to !== undefined) q = q.where(dateColumn, '<=', filter.to)
  const question = filter.question
  if (question) q = q.where((eb) => questionMatches(eb, question.path, question.value, plan))
  return q
}

const hex = (text: string): string => Buffer.from(text, 'utf8').toString('hex')

/**
 * The token of an answer in records_answers (migration 0009): 'q' + hex(path) + 'x' +
 * hex(answer as SQLite prints it). Undefined when the index may not hold the answer (null, a
 * fraction, an answer over 64 characters): then the filter reads the JSON.
 */
export function answerToken(path: string, value: string | number | boolean | null): string | undefined {
  let text: string
  if (typeof value === 'string') text = value
  else if (typeof value === 'boolean') text = value ? '1' : '0'
  else if (typeof value === 'number' && Number.isSafeInteger(value)) text = String(value)
  else return undefined
  if (text.length > 64) return undefined
  return `q${hex(path)}x${hex(text)}`
}

const answersMatching = (token: string) => sql<number>`(SELECT rowid FROM records_answers WHERE records_answers MATCH ${`"${token}"`})`

/**
 * json_each (raw SQL: kysely has no table-valued functions) matches a scalar answer and a choice
 * inside a select_multiple alike; it is the exact check every plan ends with. The candidates
 * come from the answers index (a sparse answer drives the query from its few records; a dense
 * one is a membership test while the list's own index is walked in order, '+rid' keeping the
 * planner off the candidate list), or, for answers the index leaves out, from the full-text
 * index when the value has words.
 */
function questionMatches(eb: Eb, path: string, value: string | number | boolean | null, plan: QuestionPlan) {
  if (value === null) return eb(sql`json_extract(values_json, ${jsonPath(path)})`, 'is', null)
  const bound = typeof value === 'boolean' ? (value ? 1 : 0) : value
  const exact = eb.exists(sql`(SELECT 1 FROM json_each(values_json, ${jsonPath(path)}) WHERE value = ${bound})`)
  const token = answerToken(path, value)
  if (token && plan === 'answers-sparse') return eb.and([eb('rid', 'in', answersMatching(token)), exact])
  if (token && plan === 'answers-dense') return eb.and([eb(sql`+rid`, 'in', answersMatching(token)), exact])
  // Booleans are not in the search text (json_tree types true/false are left out of it).
  const words = questionWords(value)
  if (!words || plan !== 'words') return exact
  return eb.and([eb('rid', 'in', sql<number>`(SELECT rowid FROM records_fts WHERE records_fts MATCH ${words})`), exact])
}

const questionWords = (value: string | number | boolean | null) =>
  typeof value === 'boolean' || value === null ? undefined : ftsQuery(String(value), false)

export const denseCandidates = 20_000
export const denseAnswers = 2_000
export const commonAnswers = 50_000
export const everywhereAnswers = 200_000

async function capped(store: Store, table: 'records_fts' | 'records_answers', match: string, cap: number): Promise<number> {
  const probe = await sql<{ n: number }>`SELECT COUNT(*) AS n FROM (SELECT rowid FROM ${sql.table(table)} WHERE ${sql.table(table)} MATCH ${match} LIMIT ${cap})`.execute(store.db)
  return probe.rows[0]?.n ?? 0
}

/**
 * How to find a question filter's records. From the answers index when it holds the answer: up
 * to a couple of thousand candidates are read directly (then sorted), more are tested while
 * walking the list in order, which stops at the page, and an answer too common for a candidate
 * set is checked on the rows the walk meets (measured in test/bench/store.ts). Otherwise the full-text prefilter pays for a rare word, and for a
 * common one ("Gulu" in a quarter of the records) walking the list's own index and checking rows
 * until the page is full costs less, so a quick capped probe of the postings decides.
 */
async function questionPlan(store: Store, filter: Filter): Promise<{ page: QuestionPlan; count: QuestionPlan }> {
  const question = filter.question
  if (!question) return { page: 'scan', count: 'scan' }
  const token = answerToken(question.path, question.value)
  if (token) {
    const n = await capped(store, 'records_answers', `"${token}"`, everywhereAnswers)
    if (n < denseAnswers) return { page: 'answers-sparse', count: 'answers-sparse' }
    // Counting keeps no order: it reads candidates until the cap, unless the answer is nearly
    // everywhere, where the rows the walk meets match soon enough.
    const count = n < everywhereAnswers ? 'answers-sparse' : 'scan'
    // An answer in a good part of the form ("yes" in a third): building its candidate set costs
    // more than checking the rows the page walks past, which are few.
    return { page: n < commonAnswers ? 'answers-dense' : 'scan', count }
  }
  const words = questionWords(question.value)
  if (!words) return { page: 'scan', count: 'scan' }
  const plan = (await capped(store, 'records_fts', words, denseCandidates)) < denseCandidates ? 'words' : 'scan'
  return { page: plan, count: plan }
}

function ordered<O>(query: SelectQueryBuilder<Schema, 'records', O>, args: ListArgs): SelectQueryBuilder<Schema, 'records', O> {
  const dir = args.sort.direction
  if (args.deleted) return query.orderBy('deleted_at', dir).orderBy('rid', dir)
  let q = query.orderBy(sortColumn[args.sort.by], dir)
  if (args.sort.by === 'status') q = q.orderBy('updated_at', dir)
  return q.orderBy('rid', dir)
}

/** Fetches whole rows for a page of keys, in the keys' order. */
async function rowsByRid(store: Store, rids: number[]): Promise<RecordSummary[]> {
  if (rids.length === 0) return []
  const rows = await store.db.selectFrom('records').select(['rid', ...summaryColumns]).where('rid', 'in', rids).execute()
  const byRid = new Map(rows.map((row) => [row.rid, row]))
  return rids.flatMap((rid) => {
    const row = byRid.get(rid)
    return row ? [toSummary(row)] : []
  })
}

/** A live-record total from the trigger-maintained counts, when the filter allows it. */
async function fastTotal(store: Store, args: ListArgs): Promise<number | undefined> {
  const { filter } = args
  if (args.deleted || args.ownedBy !== undefined || filter.from !== undefined || filter.to !== undefined || filter.question) return undefined
  let q = store.db.selectFrom('record_counts').select(sql<number>`COALESCE(SUM(n), 0)`.as('n')).where('form_id', '=', args.formId)
  if (filter.status) q = q.where('status', 'in', filter.status)
  return (await q.executeTakeFirstOrThrow()).n
}

/** The list's ORDER BY when every column is NOT NULL, so a row-value seek is exact. */
function seekableOrder(args: ListArgs): Order | undefined {
  if (args.deleted || args.sort.by === 'instanceName') return undefined
  const columns = args.sort.by === 'status' ? ['status', 'updated_at', 'rid'] : [sortColumn[args.sort.by], 'rid']
  return { columns, direction: args.sort.direction }
}

/**
 * One window of a form's records. Offset paging, because a virtualized table asks for the rows
 * at a scroll position, anywhere in the list, and keyset paging cannot jump there. Keys are read
 * from a covering index first (a deferred join) so skipped rows never touch the table; deep
 * windows seek from remembered keys (list-window.ts) instead of walking from the top.
 */
export async function listRecords(store: Store, args: ListArgs): Promise<{ rows: RecordSummary[]; total: number | null; totalIsLowerBound: boolean }> {
  // A question filter reads the answers and full-text indexes: a bulk create's records still
  // waiting for them are indexed first (index-backlog.ts), so the filter never misses one.
  if (args.filter.question) indexBacklog(store.sqlite)
  const plan = await questionPlan(store, args.filter)
  let keysQuery = filtered(store.db.selectFrom('records').select('rid'), args, plan.page)
  let offset = args.offset
  const order = seekableOrder(args)
  if (order) {
    const signature = JSON.stringify([args.formId, args.sort, args.filter, args.ownedBy ?? null])
    const plan = await planSeek(store, signature, order, ordered(keysQuery, args), args.offset)
    if (plan.after) keysQuery = keysQuery.where(afterKey(order, plan.after))
    offset = plan.offset
  }
  const keys = await ordered(keysQuery, args).limit(args.limit).offset(offset).execute()
  const rows = await rowsByRid(store, keys.map((k) => k.rid))
  if (!args.includeTotal) return { rows, total: null, totalIsLowerBound: false }
  const fast = await fastTotal(store, args)
  if (fast !== undefined) return { rows, total: fast, totalIsLowerBound: false }
  // A question filter reads each candidate's JSON: count up to a cap ("1,000+ records")
  // rather than read a million documents to print an exact number nobody needs.
  const cap = args.filter.question ? questionCountCap : Number.MAX_SAFE_INTEGER
  const counted = await store.db
    .selectFrom(filtered(store.db.selectFrom('records').select('rid'), args, plan.count).limit(cap).as('matching'))
    .select(sql<number>`COUNT(*)`.as('n'))
    .executeTakeFirstOrThrow()
  return { rows, total: counted.n, totalIsLowerBound: counted.n >= cap }
}

/** The list filter as conditions on `r` (records) for the search's raw SQL. */
function searchConditions(filter: Filter | undefined) {
  if (!filter) return sql``
  const parts = []
  if (filter.status) parts.push(sql`AND r.status IN (${sql.join(filter.status)})`)
  const dateColumn = sql.raw(filter.dateField === 'created' ? 'r.created_at' : 'r.updated_at')
  if (filter.from !== undefined) parts.push(sql`AND ${dateColumn} >= ${filter.from}`)
  if (filter.to !== undefined) parts.push(sql`AND ${dateColumn} <= ${filter.to}`)
  const question = filter.question
  if (question) {
    const { path, value } = question
    if (value === null) parts.push(sql`AND json_extract(r.values_json, ${jsonPath(path)}) IS NULL`)
    else {
      const token = answerToken(path, value)
      // A membership test ('+' keeps the planner walking the search's postings newest first).
      if (token) parts.push(sql`AND +r.rid IN ${answersMatching(token)}`)
      const bound = typeof value === 'boolean' ? (value ? 1 : 0) : value
      parts.push(sql`AND EXISTS (SELECT 1 FROM json_each(r.values_json, ${jsonPath(path)}) WHERE value = ${bound})`)
    }
  }
  return sql.join(parts, sql` `)
}

/**
 * Full-text search, newest records first (FTS5 walks its rowids backwards and stops at the page,
 * where ranking by relevance would score every match first). Raw SQL for MATCH. The list's
 * filters (status, dates, a question) narrow it as conditions on each match. A backlog of bulk
 * created records is indexed first, so the first search after a big import pays for the rest.
 */
export async function searchRecords(store: Store, args: SearchArgs): Promise<{ rows: RecordSummary[]; more: boolean }> {
  const match = ftsQuery(args.query)
  if (!match) return { rows: [], more: false }
  // Records a bulk create left to index later are indexed first: search never misses one.
  indexBacklog(store.sqlite)
  const formFilter = args.formId === undefined ? sql`` : sql`AND r.form_id = ${args.formId}`
  const ownerFilter = args.ownedBy === undefined ? sql`` : sql`AND r.created_by = ${args.ownedBy}`
  const found = await sql<{ rid: number }>`
    SELECT r.rid FROM records_fts f JOIN records r ON r.rid = f.rowid
    WHERE records_fts MATCH ${match} AND r.deleted_at IS NULL ${formFilter} ${ownerFilter} ${searchConditions(args.filter)}
    ORDER BY f.rowid DESC LIMIT ${args.limit + 1} OFFSET ${args.offset}`.execute(store.db)
  const rids = found.rows.map((r) => r.rid)
  return { rows: await rowsByRid(store, rids.slice(0, args.limit)), more: rids.length > args.limit }
}
