import type { HistoryEntry } from '../../../shared/api'
import { AppFailure } from '../../../shared/errors'
import type { FieldValue, RecordValues } from '../../../shared/records/values'
import type { Store } from '../db/open'
import { applyFieldChanges, type Actor, type AppendedOp } from './ops'

const parse = (text: string | null): unknown => (text === null ? null : JSON.parse(text))

/** A record's timeline, oldest first: who changed which field from what to what, and when. */
export async function recordHistory(store: Store, id: string): Promise<HistoryEntry[]> {
  const exists = await store.db.selectFrom('records').select('id').where('id', '=', id).executeTakeFirst()
  if (!exists) throw new AppFailure('not_found', 'That record does not exist on this laptop.')
  const ops = await store.db.selectFrom('record_ops').selectAll().where('record_id', '=', id).orderBy('seq').execute()
  return ops.map((op) => ({
    opId: op.id,
    seq: op.seq,
    kind: op.kind,
    path: op.field_path,
    before: parse(op.old_value),
    after: parse(op.new_value),
    revertsOpId: op.reverts_op_id,
    userId: op.user_id,
    deviceId: op.device_id,
    hlc: op.hlc,
    at: op.created_at,
  }))
}

type CreatePayload = { values?: RecordValues }

/**
 * Sets a field back to the value it had right after `opId`, as a new 'revert' op: the history
 * keeps everything, including the value being replaced. The value "after an op" is the newest
 * change of that field at or before it, or the record's initial value.
 */
export async function restoreField(store: Store, actor: Actor, id: string, path: string, opId: string): Promise<AppendedOp[]> {
  return store.db.transaction().execute(async (trx) => {
    const target = await trx.selectFrom('record_ops').select(['seq', 'record_id']).where('id', '=', opId).executeTakeFirst()
    if (!target || target.record_id !== id) {
      throw new AppFailure('not_found', 'That change is not in this record’s history; reopen the history and pick the value again.')
    }
    const source = await trx
      .selectFrom('record_ops')
      .select(['kind', 'new_value'])
      .where('record_id', '=', id)
      .where('seq', '<=', target.seq)
      .where((eb) => eb.or([eb('kind', '=', 'create'), eb.and([eb('field_path', '=', path), eb('kind', 'in', ['set', 'revert'])])]))
      .orderBy('seq', 'desc')
      .limit(1)
      .executeTakeFirst()
    let value: FieldValue = null
    if (source?.kind === 'create') value = (parse(source.new_value) as CreatePayload).values?.[path] ?? null
    else if (source) value = parse(source.new_value) as FieldValue
    return applyFieldChanges(trx, actor, id, [{ path, value }], { kind: 'revert', revertsOpId: opId })
  })
}
