import type { Transaction } from 'kysely'
import { sql } from 'kysely'
import { uuidv7 } from 'uuidv7'
import { AppFailure } from '../../../shared/errors'
import type { Store } from '../db/open'
import type { RecordOpKind, Schema } from '../db/schema'
import type { Device } from '../device'

export type Actor = { device: Device; userId: string; now?: () => number }
export type FieldChange = { path: string; value: unknown }
export type AppendedOp = { id: string; seq: number; hlc: string }

type OpInput = { recordId: string; path: string; kind: RecordOpKind; oldValue: unknown; newValue: unknown }

const json = (value: unknown): string | null => (value === undefined ? null : JSON.stringify(value))

/** Appends ops inside the caller's transaction; the log is the audit trail and the unit of sync. */
async function appendOps(trx: Transaction<Schema>, actor: Actor, ops: OpInput[]): Promise<AppendedOp[]> {
  const now = (actor.now ?? Date.now)()
  const last = await trx
    .selectFrom('record_ops')
    .select(sql<number>`COALESCE(MAX(seq), 0)`.as('seq'))
    .executeTakeFirstOrThrow()
  const appended: AppendedOp[] = []
  let seq = last.seq
  for (const op of ops) {
    const row = { id: uuidv7(), seq: ++seq, hlc: actor.device.clock.tick() }
    await trx
      .insertInto('record_ops')
      .values({
        ...row,
        record_id: op.recordId,
        field_path: op.path,
        kind: op.kind,
        old_value: json(op.oldValue),
        new_value: json(op.newValue),
        device_id: actor.device.id,
        user_id: actor.userId,
        created_at: now,
      })
      .execute()
    appended.push(row)
  }
  await trx
    .updateTable('devices')
    .set({ last_hlc: actor.device.clock.current() })
    .where('id', '=', actor.device.id)
    .execute()
  return appended
}

/** Creates a record and logs its creation and every initial value, all in one transaction. */
export async function createRecord(
  store: Store,
  actor: Actor,
  formVersionId: string,
  values: Record<string, unknown>,
): Promise<{ id: string; ops: AppendedOp[] }> {
  const id = uuidv7()
  const now = (actor.now ?? Date.now)()
  const ops = await store.db.transaction().execute(async (trx) => {
    await trx
      .insertInto('records')
      .values({
        id,
        form_version_id: formVersionId,
        instance_name: null,
        values_json: JSON.stringify(values),
        instance_xml: null,
        created_by: actor.userId,
        created_at: now,
        updated_by: actor.userId,
        updated_at: now,
        deleted_at: null,
      })
      .execute()
    return appendOps(trx, actor, [
      { recordId: id, path: '', kind: 'create', oldValue: undefined, newValue: { formVersionId } },
      ...Object.entries(values).map(([path, value]) => ({
        recordId: id,
        path,
        kind: 'set' as const,
        oldValue: undefined,
        newValue: value,
      })),
    ])
  })
  return { id, ops }
}

/** Sets field values of a record: the values and their ops commit together or not at all. */
export async function setFieldValues(
  store: Store,
  actor: Actor,
  recordId: string,
  changes: FieldChange[],
): Promise<AppendedOp[]> {
  const now = (actor.now ?? Date.now)()
  return store.db.transaction().execute(async (trx) => {
    const record = await trx
      .selectFrom('records')
      .select(['values_json', 'deleted_at'])
      .where('id', '=', recordId)
      .executeTakeFirst()
    if (!record) throw new AppFailure('not_found', 'That record does not exist on this laptop.')
    const values = JSON.parse(record.values_json) as Record<string, unknown>
    const ops = changes
      .filter((change) => JSON.stringify(values[change.path]) !== JSON.stringify(change.value))
      .map((change) => ({
        recordId,
        path: change.path,
        kind: 'set' as const,
        oldValue: values[change.path],
        newValue: change.value,
      }))
    for (const change of changes) values[change.path] = change.value
    await trx
      .updateTable('records')
      .set({ values_json: JSON.stringify(values), updated_by: actor.userId, updated_at: now })
      .where('id', '=', recordId)
      .execute()
    return appendOps(trx, actor, ops)
  })
}
