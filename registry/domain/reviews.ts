import { sql } from 'kysely'
import { AppFailure } from '../../shared/errors'
import type { CorrectionRequest, ReviewRequest } from '../../shared/registry-api'
import type { RegistryDb } from '../db/database'
import type { Actor } from './actors'
import { requireHq } from './actors'
import { appendChanges } from './feed'
import { isUuid } from './forms'
import { mergeOps, unpackClocks } from './merge-ops'
import type { FeedOp, SyncOp } from '../../shared/sync/ops'
import { deletedKey, hlcNode, statusKey } from '../../shared/sync/ops'
import { resolutionKey } from '../../shared/sync/conflicts'
import type { DeviceActor } from './actors'
import { hqOpId, hqOpKey, isHqOp } from './hq-ops'
import { getRegistryIdentity } from './identity'

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
        .select(['id', 'office_id', 'form_version_id', 'values', 'field_clocks', 'status'])
        .where('id', '=', recordId)
        .forUpdate()
        .executeTakeFirst()
    : undefined
  if (!row) throw new AppFailure('not_found', `There is no record "${recordId}".`)
  return row
}

/** An op HQ makes: its id proves it is HQ's (hq-ops.ts), so laptops can hand it back after a restore. */
function hqOp(key: Buffer, op: Omit<FeedOp, 'opId'>): FeedOp {
  return { opId: hqOpId(key, op), ...op }
}

/**
 * HQ approves or rejects a record: a `status` op with the registry's clock, merged like any other
 * (it wins over what HQ had seen, is in conflict with a concurrent status change on a laptop, and
 * is in the record's history), so after a pull the laptop's record shows the decision. Who decided
 * and the comment stay on the record (`review_*`) and travel as `record.reviewed`.
 */
export async function reviewRecord(
  db: RegistryDb,
  actor: Actor,
  recordId: string,
  review: ReviewRequest,
): Promise<string> {
  const userId = requireHq(actor, 'records.review') ?? 'system'
  const key = hqOpKey(await getRegistryIdentity(db))
  return db.transaction().execute(async (trx) => {
    const record = await lockRecord(trx, recordId)
    const clocks = unpackClocks(record.field_clocks)
    const op = hqOp(key, {
      recordId: record.id,
      formVersionId: record.form_version_id,
      kind: 'status',
      fieldPath: '',
      oldValue: record.status ?? null,
      newValue: review.state,
      hlc: nextRegistryHlc(Object.values(clocks)),
      ...basesOf(clocks, statusKey),
      resolves: [],
      userId,
      deviceId: null,
    })
    await mergeOps(trx, [record], [op], null)
    await trx
      .updateTable('records')
      .set({
        review_state: review.state,
        review_comment: review.comment ?? null,
        reviewed_by: actor.kind === 'hq' ? userId : null,
        reviewed_at: sql`now()`,
      })
      .where('id', '=', record.id)
      .execute()
    await appendChanges(trx, [
      {
        officeId: record.office_id,
        kind: 'record.reviewed',
        entityId: record.id,
        data: { state: review.state, comment: review.comment ?? null, opId: op.opId },
      },
    ])
    return op.opId
  })
}

/** What an op made on the registry had seen: the key's clock and the record's `#deleted` clock. */
function basesOf(
  clocks: Record<string, string>,
  key: string,
): { baseHlc: string | null; seen: Record<string, string> } {
  const hlcOf = (clock: string | undefined): string | null => clock?.split(' ')[0] ?? null
  const deleted = hlcOf(clocks[deletedKey])
  return { baseHlc: hlcOf(clocks[key]), seen: deleted ? { [deletedKey]: deleted } : {} }
}

/** HQ corrects fields: each change becomes an op (with the old value) merged like a device's. */
export async function correctRecord(
  db: RegistryDb,
  actor: Actor,
  recordId: string,
  correction: CorrectionRequest,
): Promise<string[]> {
  const userId = requireHq(actor, 'records.review') ?? 'system'
  const key = hqOpKey(await getRegistryIdentity(db))
  return db.transaction().execute(async (trx) => {
    const record = await lockRecord(trx, recordId)
    const values = record.values as Record<string, unknown>
    const clocks = unpackClocks(record.field_clocks)
    const hlc = nextRegistryHlc(Object.values(clocks))
    const ops: FeedOp[] = correction.changes.map((change) =>
      hqOp(key, {
        recordId: record.id,
        formVersionId: record.form_version_id,
        kind: 'set',
        fieldPath: change.fieldPath,
        oldValue: values[change.fieldPath] ?? null,
        newValue: change.value,
        hlc,
        ...basesOf(clocks, change.fieldPath),
        resolves: [],
        userId,
        deviceId: null,
      }),
    )
    await mergeOps(trx, [record], ops, null)
    await trx
      .updateTable('records')
      .set({
        review_state: 'corrected',
        reviewed_by: actor.kind === 'hq' ? userId : null,
        reviewed_at: sql`now()`,
      })
      .where('id', '=', record.id)
      .execute()
    return ops.map((op) => op.opId)
  })
}

/**
 * A person settles a conflict by choosing or typing a value: a 'resolve' op that every replica
 * merges (it has seen both sides, so it wins over both) and that closes the conflict everywhere.
 * A delete conflict is settled on `#deleted`: true keeps the record deleted, false restores it.
 */
export async function resolveConflict(
  db: RegistryDb,
  actor: Actor,
  conflictId: string,
  value: unknown,
): Promise<string> {
  const userId = requireHq(actor, 'records.review') ?? 'system'
  const hqKey = hqOpKey(await getRegistryIdentity(db))
  return db.transaction().execute(async (trx) => {
    const conflict = await trx
      .selectFrom('conflicts')
      .select(['record_id', 'field_path', 'resolved_by_op'])
      .where('id', '=', conflictId)
      .executeTakeFirst()
    if (!conflict) throw new AppFailure('not_found', 'That conflict does not exist.')
    if (conflict.resolved_by_op)
      throw new AppFailure('conflict', 'Someone has already resolved this conflict.')
    const record = await lockRecord(trx, conflict.record_id)
    const clocks = unpackClocks(record.field_clocks)
    const key = resolutionKey(conflict.field_path)
    const op = hqOp(hqKey, {
      recordId: record.id,
      formVersionId: record.form_version_id,
      kind: 'resolve',
      fieldPath: key,
      oldValue: (record.values as Record<string, unknown>)[key] ?? null,
      newValue: value,
      hlc: nextRegistryHlc(Object.values(clocks)),
      ...basesOf(clocks, key),
      resolves: [conflictId],
      userId,
      deviceId: null,
    })
    await mergeOps(trx, [record], [op], null)
    return op.opId
  })
}

export type RelayResult = {
  accepted: number
  duplicates: number
  refused: number
  deferred: number
}

/**
 * HQ ops a laptop hands back after the registry was restored from an older backup (the laptop
 * pulled them before the restore; the registry lost them). Only ops whose id proves they are this
 * registry's own (hq-ops.ts) and whose record is in the device's office are taken, merged like
 * any op, idempotently by id. An op whose record the registry does not hold yet (its creator has
 * not pushed it again) is `deferred`: the laptop offers it again on its next run.
 */
export async function relayHqOps(
  db: RegistryDb,
  device: DeviceActor,
  ops: readonly SyncOp[],
): Promise<RelayResult> {
  const key = hqOpKey(await getRegistryIdentity(db))
  const genuine = ops.filter(
    (op) => hlcNode(op.hlc) === registryClockNode && isHqOp(key, op.opId, op),
  )
  const refused = ops.length - genuine.length
  if (genuine.length === 0) return { accepted: 0, duplicates: 0, refused, deferred: 0 }
  return db.transaction().execute(async (trx) => {
    const ids = [...new Set(genuine.map((op) => op.recordId))].sort()
    const records = await trx
      .selectFrom('records')
      .select(['id', 'office_id', 'form_version_id', 'values', 'field_clocks'])
      .where('id', 'in', ids)
      .where('office_id', '=', device.officeId)
      .orderBy('id')
      .forUpdate()
      .execute()
    const held = new Map(records.map((record) => [record.id, record]))
    const mergeable = genuine.filter(
      (op) => held.get(op.recordId)?.form_version_id === op.formVersionId,
    )
    const accepted = await mergeOps(
      trx,
      records,
      mergeable.map((op) => ({ ...op, deviceId: null })),
      null,
    )
    return {
      accepted: accepted.length,
      duplicates: mergeable.length - accepted.length,
      refused,
      deferred: genuine.length - mergeable.length,
    }
  })
}
