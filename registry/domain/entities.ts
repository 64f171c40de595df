import { sql } from 'kysely'
import { uuidv7 } from 'uuidv7'
import { AppFailure } from '../../shared/errors'
import type { EntityBlock } from '../../shared/forms/entities'
import { isEntityKey, readEntityBlock, savedProperties, savedValues } from '../../shared/forms/entities'
import type { CreatePayload, SyncOp } from '../../shared/sync/ops'
import { opWrites, statusKey } from '../../shared/sync/ops'
import type { RegistryDb } from '../db/database'
import type { Actor } from './actors'
import { jsonText, requireHq } from './actors'
import { fanOut, writeEntity } from './registers'

/**
 * ODK entities made offline. A form with an `entities` sheet carries an entity block in its
 * record (`meta/entity/@dataset`, `@id`, `@create`, `@update`, `@baseVersion`,
 * `meta/entity/label`; shared/forms/runtime/serialize.ts keeps them in the values), and its
 * questions name the properties they save to (`entities:saveto`). When such a record is
 * complete (or approved) at the registry, its block is applied once, in the push's transaction,
 * to the register named by the dataset: a create adds the entry, an update writes the label and
 * the properties the form saves to as the entry's next revision (a question left blank blanks its
 * property, as ODK Central does). Every office the register is
 * published to gets it with its next pull (a `register.entity` change), and the office the
 * record came from is added to them, since its forms read the register.
 *
 * An update made from an older revision than the entry's (the spec's baseVersion) follows the
 * record merge rules: properties changed by one side only both stand; a property both changed
 * takes the later write (here, the one the registry applies last, which every office then
 * receives) and is kept as an `entity_conflicts` row with both values until HQ resolves it.
 * A block that cannot apply (a create of an id that exists, an update of an entry that does not,
 * a base revision from the future, no label for a new entry) is refused: recorded in
 * `entity_actions` with the reason, never applied half-way, and the record itself is kept.
 */

const readyStatuses = ['complete', 'approved']

/**
 * Cheap test on the batch, so that a push without entity forms costs no query: a create or an
 * edit of an entity block, or a status set to complete or approved (the record may carry a block).
 */
export function mayApplyEntities(ops: readonly SyncOp[]): boolean {
  return ops.some((op) => {
    if (op.kind === 'create') {
      const values = (op.newValue as CreatePayload | null)?.values
      for (const key in values) if (isEntityKey(key)) return true
      return false
    }
    if (op.kind === 'set' || op.kind === 'revert') return isEntityKey(op.fieldPath)
    return opWrites(op).some(
      ([key, value]) => key === statusKey && typeof value === 'string' && readyStatuses.includes(value),
    )
  })
}

type Values = Record<string, unknown>

/** The properties a form version saves to, read once per batch. */
async function propertiesOf(
  trx: RegistryDb,
  cache: Map<string, Map<string, string>>,
  formVersionId: string,
): Promise<Map<string, string>> {
  const known = cache.get(formVersionId)
  if (known) return known
  const row = await trx
    .selectFrom('form_versions')
    .select('definition')
    .where('id', '=', formVersionId)
    .executeTakeFirst()
  const xform = (row?.definition as { xform?: string } | null)?.xform
  const properties = xform ? savedProperties(xform) : new Map<string, string>()
  cache.set(formVersionId, properties)
  return properties
}

const readEntry = (trx: RegistryDb, registerId: string, entityId: string) =>
  trx
    .selectFrom('register_entities')
    .selectAll()
    .where('register_id', '=', registerId)
    .where('entity_id', '=', entityId)
    .executeTakeFirst()

type Outcome = { outcome: 'created' | 'updated' | 'refused'; revision?: number; reason?: string }

/** Applies the entity blocks of the batch's records that are ready and not applied yet. */
export async function applyEntityActions(trx: RegistryDb, ops: readonly SyncOp[]): Promise<void> {
  if (!mayApplyEntities(ops)) return
  const ids = [...new Set(ops.map((op) => op.recordId))]
  const ready = await trx
    .selectFrom('records')
    .leftJoin('entity_actions', 'entity_actions.record_id', 'records.id')
    .select(['records.id', 'records.office_id', 'records.form_version_id', 'records.values'])
    .where('records.id', 'in', ids)
    .where('records.status', 'in', readyStatuses)
    .where('records.deleted', '=', false)
    .where('entity_actions.record_id', 'is', null)
    .where(sql<boolean>`records.values ? 'meta/entity/@dataset'`)
    .orderBy('records.id')
    .execute()
  const cache = new Map<string, Map<string, string>>()
  for (const record of ready) {
    const values = record.values as Values
    const block = readEntityBlock(values)
    const saved = savedValues(await propertiesOf(trx, cache, record.form_version_id), values)
    const outcome = await applyBlock(trx, record.id, record.office_id, block, saved)
    await trx
      .insertInto('entity_actions')
      .values({
        record_id: record.id,
        dataset: block.dataset,
        entity_id: block.entityId,
        outcome: outcome.outcome,
        revision: outcome.revision ?? null,
        reason: outcome.reason ?? null,
      })
      .execute()
  }
}

async function applyBlock(
  trx: RegistryDb,
  recordId: string,
  officeId: string,
  block: EntityBlock,
  saved: Values,
): Promise<Outcome> {
  if (!block.create && !block.update) return { outcome: 'refused', reason: 'The entity block neither creates nor updates.' }
  if (!/^[a-z_][a-z0-9_]{0,63}$/.test(block.dataset)) return { outcome: 'refused', reason: `"${block.dataset}" is not a register name.` }
  if (block.entityId === '') return { outcome: 'refused', reason: 'The entity block has no id.' }
  const register = await trx
    .insertInto('registers')
    .values({ id: uuidv7(), name: block.dataset, title: block.dataset, columns: jsonText([]) })
    .onConflict((oc) => oc.column('name').doUpdateSet({ name: block.dataset }))
    .returning('id')
    .executeTakeFirstOrThrow()
  const current = await readEntry(trx, register.id, block.entityId)
  let outcome: Outcome
  if (!current || current.deleted) {
    if (!block.create) return { outcome: 'refused', reason: `There is no entry ${block.entityId} in ${block.dataset} to update.` }
    if (block.label === '') return { outcome: 'refused', reason: 'A new entry needs a label.' }
    const revision = await writeEntity(trx, register.id, block.entityId, block.label, saved, false, recordId)
    outcome = { outcome: 'created', revision }
  } else if (!block.update) {
    return { outcome: 'refused', reason: `${block.dataset} already has an entry ${block.entityId}.` }
  } else {
    outcome = await update(trx, register.id, recordId, block, saved, current)
    if (outcome.outcome === 'refused') return outcome
  }
  await trx
    .insertInto('register_publications')
    .values({ register_id: register.id, office_id: officeId, published_by: null })
    .onConflict((oc) => oc.doNothing())
    .execute()
  await fanOut(trx, register.id, 'register.entity', register.id, { entityId: block.entityId, deleted: false })
  return outcome
}

type EntityRow = { entity_id: string; label: string; values: unknown; revision: number }

async function update(
  trx: RegistryDb,
  registerId: string,
  recordId: string,
  block: EntityBlock,
  saved: Values,
  current: EntityRow,
): Promise<Outcome> {
  const base = block.baseRevision ?? current.revision
  if (!Number.isInteger(base) || base < 1 || base > current.revision) {
    return { outcome: 'refused', reason: `Base revision ${String(block.baseRevision)} of ${block.entityId} is not one the registry made (it is at ${current.revision}).` }
  }
  const now = { ...(current.values as Values) }
  const next = { ...now, ...saved }
  const label = block.label === '' ? current.label : block.label
  const conflicts: { property: string; theirs: unknown; ours: unknown }[] = []
  if (base < current.revision) {
    // What changed since the revision the record was made from: a property this update writes
    // that someone else changed too is a conflict; the rest merges quietly.
    const then = await trx
      .selectFrom('register_entity_versions')
      .select(['label', 'values'])
      .where('register_id', '=', registerId)
      .where('entity_id', '=', block.entityId)
      .where('revision', '=', base)
      .executeTakeFirst()
    const before = (then?.values ?? {}) as Values
    for (const [property, value] of Object.entries(saved)) {
      if (before[property] !== now[property] && now[property] !== value) conflicts.push({ property, theirs: now[property] ?? null, ours: value })
    }
    if (block.label !== '' && then?.label !== current.label && current.label !== block.label) {
      conflicts.push({ property: '#label', theirs: current.label, ours: block.label })
    }
  }
  const revision = await writeEntity(trx, registerId, block.entityId, label, next, false, recordId)
  if (conflicts.length > 0) {
    await trx
      .insertInto('entity_conflicts')
      .values(
        conflicts.map((conflict) => ({
          id: uuidv7(),
          register_id: registerId,
          entity_id: block.entityId,
          record_id: recordId,
          property: conflict.property,
          base_revision: base,
          revision,
          theirs: jsonText(conflict.theirs),
          ours: jsonText(conflict.ours),
        })),
      )
      .execute()
  }
  return { outcome: 'updated', revision }
}

export type EntityConflictDto = {
  id: string
  register: string
  entityId: string
  recordId: string
  property: string
  baseRevision: number
  revision: number
  theirs: unknown
  ours: unknown
}

/** The entity conflicts HQ has still to resolve, oldest first. */
export async function listEntityConflicts(db: RegistryDb, actor: Actor): Promise<EntityConflictDto[]> {
  requireHq(actor, 'read')
  const rows = await db
    .selectFrom('entity_conflicts')
    .innerJoin('registers', 'registers.id', 'entity_conflicts.register_id')
    .selectAll('entity_conflicts')
    .select('registers.name')
    .where('resolved_at', 'is', null)
    .orderBy('entity_conflicts.id')
    .execute()
  return rows.map((row) => ({
    id: row.id,
    register: row.name,
    entityId: row.entity_id,
    recordId: row.record_id,
    property: row.property,
    baseRevision: row.base_revision,
    revision: row.revision,
    theirs: row.theirs,
    ours: row.ours,
  }))
}

/**
 * HQ settles an entity conflict with the value to keep (either side's, or a new one): the entry
 * gets it as its next revision, which every office receives, and the conflict is closed.
 */
export async function resolveEntityConflict(
  db: RegistryDb,
  actor: Actor,
  conflictId: string,
  value: string,
): Promise<void> {
  const userId = requireHq(actor, 'registers.manage')
  await db.transaction().execute(async (trx) => {
    const conflict = await trx
      .selectFrom('entity_conflicts')
      .selectAll()
      .where('id', '=', conflictId)
      .forUpdate()
      .executeTakeFirst()
    if (!conflict) throw new AppFailure('not_found', 'There is no such entity conflict.')
    if (conflict.resolved_at) throw new AppFailure('conflict', 'This entity conflict is already resolved.')
    const entry = await readEntry(trx, conflict.register_id, conflict.entity_id)
    if (!entry) throw new AppFailure('not_found', `The entry ${conflict.entity_id} is no longer in its register.`)
    const values = { ...(entry.values as Values) }
    let label = entry.label
    if (conflict.property === '#label') label = value
    else values[conflict.property] = value
    await writeEntity(trx, conflict.register_id, conflict.entity_id, label, values, entry.deleted)
    await trx
      .updateTable('entity_conflicts')
      .set({ resolved_at: new Date(), resolved_by: userId })
      .where('id', '=', conflictId)
      .execute()
    await fanOut(trx, conflict.register_id, 'register.entity', conflict.register_id, { entityId: conflict.entity_id, deleted: entry.deleted })
  })
}
