import { sql } from 'kysely'
import { uuidv7 } from 'uuidv7'
import { AppFailure } from '../../shared/errors'
import type { CorrectionRequest, ReviewRequest } from '../../shared/registry-api'
import type { RegistryDb } from '../db/database'
import type { Actor } from './actors'
import { jsonText, requireHq } from './actors'
import { appendChanges } from './feed'
import { isUuid } from './forms'
import { applyOps } from './records'

/** The registry's clock node in hybrid logical clock stamps. */
export const registryClockNode = 'registry'

/**
 * A stamp after every clock the record has seen and not before the wall clock, so an HQ correction
 * wins over what it corrects on every replica. Computed from the record itself: no clock state
 * lives in the server between requests.
 */
export function nextRegistryHlc(clocks: readonly string[], now = Date.now()): string {
  let ms = now
  let counter = 0
  for (const clock of clocks) {
    const match = /^(\d{15})-([0-9a-z]{5})-/.exec(clock)
    if (!match?.[1] || !match[2]) continue
    const seenMs = Number(match[1])
    const seenCounter = parseInt(match[2], 36)
    if (seenMs > ms || (seenMs === ms && seenCounter >= counter)) {
      ms = seenMs
      counter = seenCounter + 1
    }
  }
  return `${String(ms).padStart(15, '0')}-${counter.toString(36).padStart(5, '0')}-${registryClockNode}`
}

async function lockRecord(trx: RegistryDb, recordId: string) {
  const row = isUuid(recordId)
    ? await trx
        .selectFrom('records')
        .select(['id', 'office_id', 'values', 'field_clocks'])
        .where('id', '=', recordId)
        .forUpdate()
        .executeTakeFirst()
    : undefined
  if (!row) throw new AppFailure('not_found', `There is no record "${recordId}".`)
  return row
}

export async function reviewRecord(
  db: RegistryDb,
  actor: Actor,
  recordId: string,
  review: ReviewRequest,
): Promise<void> {
  const userId = requireHq(actor, 'records.review')
  await db.transaction().execute(async (trx) => {
    const record = await lockRecord(trx, recordId)
    await trx
      .updateTable('records')
      .set({
        review_state: review.state,
        review_comment: review.comment ?? null,
        reviewed_by: userId,
        reviewed_at: sql`now()`,
      })
      .where('id', '=', record.id)
      .execute()
    await appendChanges(trx, [
      {
        officeId: record.office_id,
        kind: 'record.reviewed',
        entityId: record.id,
        data: { state: review.state, comment: review.comment ?? null },
      },
    ])
  })
}

/** HQ corrects fields: each change becomes an op (with the old value) in the record's history. */
export async function correctRecord(
  db: RegistryDb,
  actor: Actor,
  recordId: string,
  correction: CorrectionRequest,
): Promise<string[]> {
  const userId = requireHq(actor, 'records.review') ?? 'system'
  return db.transaction().execute(async (trx) => {
    const record = await lockRecord(trx, recordId)
    const values = record.values as Record<string, unknown>
    const clocks = record.field_clocks as Record<string, string>
    const hlc = nextRegistryHlc(Object.values(clocks))
    const ops = correction.changes.map((change) => ({
      opId: uuidv7(),
      fieldPath: change.fieldPath,
      oldValue: values[change.fieldPath] ?? null,
      newValue: change.value,
      hlc,
    }))
    await trx
      .insertInto('record_ops')
      .values(
        ops.map((op) => ({
          op_id: op.opId,
          record_id: record.id,
          field_path: op.fieldPath,
          old_value: jsonText(op.oldValue),
          new_value: jsonText(op.newValue),
          hlc,
          device_id: null,
          user_id: userId,
        })),
      )
      .execute()
    const next = applyOps({ values, clocks }, ops)
    await trx
      .updateTable('records')
      .set({
        values: jsonText(next.values),
        field_clocks: jsonText(next.clocks),
        review_state: 'corrected',
        reviewed_by: actor.kind === 'hq' ? userId : null,
        reviewed_at: sql`now()`,
        updated_at: sql`now()`,
      })
      .where('id', '=', record.id)
      .execute()
    await appendChanges(
      trx,
      ops.map((op) => ({
        officeId: record.office_id,
        kind: 'record.op',
        entityId: record.id,
        data: {
          opId: op.opId,
          fieldPath: op.fieldPath,
          newValue: op.newValue,
          hlc,
          userId,
          deviceId: null,
        },
      })),
    )
    return ops.map((op) => op.opId)
  })
}
