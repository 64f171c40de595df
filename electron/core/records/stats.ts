import { sql } from 'kysely'
import type { z } from 'zod'
import type { RecordsStats, RecordStatusName, recordsStatsInputSchema } from '../../../shared/api'
import { AppFailure } from '../../../shared/errors'
import type { Store } from '../db/open'
import type { Actor } from './ops'

/** `ownedBy`: only records this user created (what a collector or a clerk may see). */
type StatsArgs = z.output<typeof recordsStatsInputSchema> & { ownedBy?: string | undefined }
const dayMs = 86_400_000
const doneStatuses: readonly RecordStatusName[] = ['complete', 'synced', 'approved']

function liveRecords(store: Store, args: StatsArgs) {
  let q = store.db.selectFrom('records').where('deleted_at', 'is', null)
  if (args.formId !== undefined) q = q.where('form_id', '=', args.formId)
  if (args.ownedBy !== undefined) q = q.where('created_by', '=', args.ownedBy)
  if (args.from !== undefined) q = q.where('created_at', '>=', args.from)
  if (args.to !== undefined) q = q.where('created_at', '<=', args.to)
  return q
}

/** Counts per form and status: from the kept counts table unless a date range or one author needs a scan. */
async function formStatusCounts(store: Store, args: StatsArgs): Promise<{ form_id: string; status: RecordStatusName; n: number }[]> {
  if (args.from === undefined && args.to === undefined && args.ownedBy === undefined) {
    let q = store.db.selectFrom('record_counts').select(['form_id', 'status', 'n']).where('n', '>', 0)
    if (args.formId !== undefined) q = q.where('form_id', '=', args.formId)
    return q.execute()
  }
  return liveRecords(store, args).select(['form_id', 'status', sql<number>`COUNT(*)`.as('n')]).groupBy(['form_id', 'status']).execute()
}

/** The progress dashboard's numbers: per day (the viewer's days), per collector, status and form. */
export async function recordStats(store: Store, args: StatsArgs): Promise<RecordsStats> {
  const offset = args.tzOffsetMinutes * 60_000
  const days = await liveRecords(store, args)
    .select([sql<number>`CAST((created_at + ${offset}) / ${dayMs} AS INTEGER)`.as('day'), sql<number>`COUNT(*)`.as('n')])
    .groupBy('day')
    .orderBy('day')
    .execute()
  const collectors = await liveRecords(store, args)
    .select(['created_by', sql<number>`COUNT(*)`.as('n')])
    .groupBy('created_by')
    .orderBy('n', 'desc')
    .execute()
  const counts = await formStatusCounts(store, args)
  const forms = await store.db
    .selectFrom('forms as f')
    .leftJoin('record_targets as t', 't.form_id', 'f.id')
    .select(['f.id', 'f.title', 't.target'])
    .$if(args.formId !== undefined, (q) => q.where('f.id', '=', args.formId ?? ''))
    .orderBy('f.title')
    .execute()
  const perStatus = new Map<RecordStatusName, number>()
  for (const c of counts) perStatus.set(c.status, (perStatus.get(c.status) ?? 0) + c.n)
  const sumFor = (formId: string, statuses?: readonly RecordStatusName[]) =>
    counts.filter((c) => c.form_id === formId && (!statuses || statuses.includes(c.status))).reduce((sum, c) => sum + c.n, 0)
  return {
    total: counts.reduce((sum, c) => sum + c.n, 0),
    perDay: days.map((d) => ({ day: new Date(d.day * dayMs).toISOString().slice(0, 10), count: d.n })),
    perCollector: collectors.map((c) => ({ userId: c.created_by, count: c.n })),
    perStatus: [...perStatus].map(([status, count]) => ({ status, count })),
    perForm: forms.map((f) => ({ formId: f.id, title: f.title, count: sumFor(f.id), done: sumFor(f.id, doneStatuses), target: f.target })),
  }
}

/** The supervisor's target for a form; null removes it. */
export async function setTarget(store: Store, actor: Actor, formId: string, target: number | null): Promise<{ formId: string; target: number | null }> {
  const form = await store.db.selectFrom('forms').select('id').where('id', '=', formId).executeTakeFirst()
  if (!form) throw new AppFailure('not_found', 'That form is not on this laptop.')
  if (target === null) await store.db.deleteFrom('record_targets').where('form_id', '=', formId).execute()
  else {
    const row = { form_id: formId, target, updated_by: actor.userId, updated_at: (actor.now ?? Date.now)() }
    await store.db
      .insertInto('record_targets')
      .values(row)
      .onConflict((oc) => oc.column('form_id').doUpdateSet({ target, updated_by: row.updated_by, updated_at: row.updated_at }))
      .execute()
  }
  return { formId, target }
}
