import { uuidv7 } from 'uuidv7'
import { AppFailure } from '../../shared/errors'
import type { RegistryDb } from '../db/database'
import type { Actor, DeviceActor } from './actors'
import { jsonText, requireHq } from './actors'
import { readEntityCsv } from './csv'
import type { NewChange } from './feed'
import { appendChanges } from './feed'
import { isUuid } from './forms'
import { findOffice } from './offices'

export type RegisterDto = { id: string; name: string; title: string; columns: unknown }
export type EntityDto = {
  entityId: string
  label: string
  values: unknown
  revision: number
  deleted: boolean
}
export type ImportSummary = {
  registerId: string
  created: number
  updated: number
  deleted: number
}

/** One change per office the register is published to, or one HQ-only change if none. */
export async function fanOut(
  trx: RegistryDb,
  registerId: string,
  kind: string,
  entityId: string,
  data: unknown,
): Promise<void> {
  const offices = await trx
    .selectFrom('register_publications')
    .select('office_id')
    .where('register_id', '=', registerId)
    .execute()
  const targets: (string | null)[] =
    offices.length > 0 ? offices.map((row) => row.office_id) : [null]
  const changes: NewChange[] = targets.map((officeId) => ({ officeId, kind, entityId, data }))
  await appendChanges(trx, changes)
}

/** Creates or replaces a register from CSV: new rows are added, changed ones revised, missing ones deleted. */
export async function importRegisterCsv(
  db: RegistryDb,
  actor: Actor,
  input: { name: string; title?: string; csv: string },
): Promise<ImportSummary> {
  requireHq(actor, 'registers.manage')
  if (!/^[a-z_][a-z0-9_]{0,63}$/.test(input.name)) {
    throw new AppFailure(
      'validation',
      'A register name is lowercase letters, digits and _, starting with a letter, e.g. "households".',
    )
  }
  const { columns, entities } = readEntityCsv(input.csv)
  return db.transaction().execute(async (trx) => {
    const register = await trx
      .insertInto('registers')
      .values({
        id: uuidv7(),
        name: input.name,
        title: input.title ?? input.name,
        columns: jsonText(columns),
      })
      .onConflict((oc) =>
        oc.column('name').doUpdateSet({ columns: jsonText(columns), updated_at: new Date() }),
      )
      .returning('id')
      .executeTakeFirstOrThrow()
    const existing = await trx
      .selectFrom('register_entities')
      .selectAll()
      .where('register_id', '=', register.id)
      .execute()
    const before = new Map(existing.map((row) => [row.entity_id, row]))
    const summary: ImportSummary = { registerId: register.id, created: 0, updated: 0, deleted: 0 }
    for (const entity of entities) {
      const old = before.get(entity.entityId)
      before.delete(entity.entityId)
      if (
        old &&
        !old.deleted &&
        old.label === entity.label &&
        jsonText(old.values) === jsonText(entity.values)
      )
        continue
      await writeEntity(trx, register.id, entity.entityId, entity.label, entity.values, false)
      if (old && !old.deleted) summary.updated++
      else summary.created++
    }
    for (const [entityId, row] of before) {
      if (row.deleted) continue
      await writeEntity(trx, register.id, entityId, row.label, row.values, true)
      summary.deleted++
    }
    await fanOut(trx, register.id, 'register.imported', register.id, {
      name: input.name,
      ...summary,
    })
    return summary
  })
}

/** Writes one entry as its next revision, and keeps that revision (register_entity_versions). */
export async function writeEntity(
  trx: RegistryDb,
  registerId: string,
  entityId: string,
  label: string,
  values: unknown,
  deleted: boolean,
  recordId: string | null = null,
): Promise<number> {
  const { revision } = await trx
    .insertInto('register_entities')
    .values({
      register_id: registerId,
      entity_id: entityId,
      label,
      values: jsonText(values),
      deleted,
    })
    .onConflict((oc) =>
      oc.columns(['register_id', 'entity_id']).doUpdateSet((eb) => ({
        label,
        values: jsonText(values),
        deleted,
        revision: eb('register_entities.revision', '+', 1),
        updated_at: new Date(),
      })),
    )
    .returning('revision')
    .executeTakeFirstOrThrow()
  await trx
    .insertInto('register_entity_versions')
    .values({
      register_id: registerId,
      entity_id: entityId,
      revision,
      label,
      values: jsonText(values),
      deleted,
      record_id: recordId,
    })
    .execute()
  return revision
}

export async function findRegister(db: RegistryDb, idOrName: string): Promise<RegisterDto> {
  const row = await db
    .selectFrom('registers')
    .select(['id', 'name', 'title', 'columns'])
    .where(isUuid(idOrName) ? 'id' : 'name', '=', idOrName)
    .executeTakeFirst()
  if (!row) throw new AppFailure('not_found', `There is no register "${idOrName}".`)
  return row
}

/** Sets one entry (an HQ edit); `deleted` removes it from the offices' lists. */
export async function editEntity(
  db: RegistryDb,
  actor: Actor,
  register: string,
  entity: { entityId: string; label: string; values: Record<string, unknown>; deleted?: boolean },
): Promise<void> {
  requireHq(actor, 'registers.manage')
  const found = await findRegister(db, register)
  await db.transaction().execute(async (trx) => {
    await writeEntity(
      trx,
      found.id,
      entity.entityId,
      entity.label,
      entity.values,
      entity.deleted ?? false,
    )
    await fanOut(trx, found.id, 'register.entity', found.id, {
      entityId: entity.entityId,
      deleted: entity.deleted ?? false,
    })
  })
}

export async function publishRegister(
  db: RegistryDb,
  actor: Actor,
  register: string,
  offices: readonly string[],
): Promise<number> {
  const userId = requireHq(actor, 'registers.manage')
  const found = await findRegister(db, register)
  const officeIds = await Promise.all(
    offices.map(async (office) => (await findOffice(db, office)).id),
  )
  if (officeIds.length === 0) return 0
  return db.transaction().execute(async (trx) => {
    const inserted = await trx
      .insertInto('register_publications')
      .values(
        officeIds.map((officeId) => ({
          register_id: found.id,
          office_id: officeId,
          published_by: userId,
        })),
      )
      .onConflict((oc) => oc.doNothing())
      .returning('office_id')
      .execute()
    const data = { name: found.name, title: found.title }
    await appendChanges(
      trx,
      inserted.map((row) => ({
        officeId: row.office_id,
        kind: 'register.published',
        entityId: found.id,
        data,
      })),
    )
    return inserted.length
  })
}

export async function listRegisters(
  db: RegistryDb,
  actor: Actor | DeviceActor,
): Promise<RegisterDto[]> {
  let query = db.selectFrom('registers').select(['registers.id', 'name', 'title', 'columns'])
  if (actor.kind === 'device') {
    query = query
      .innerJoin('register_publications', 'register_publications.register_id', 'registers.id')
      .where('register_publications.office_id', '=', actor.officeId)
  } else requireHq(actor, 'read')
  return query.orderBy('name').execute()
}

/** Entries of a register; a device gets one answer for "not published to you" and "does not exist". */
export async function readEntities(
  db: RegistryDb,
  actor: Actor,
  registerId: string,
): Promise<EntityDto[]> {
  if (actor.kind === 'device') {
    const published = isUuid(registerId)
      ? await db
          .selectFrom('register_publications')
          .select('register_id')
          .where('register_id', '=', registerId)
          .where('office_id', '=', actor.officeId)
          .executeTakeFirst()
      : undefined
    if (!published)
      throw new AppFailure('forbidden', 'This register is not published to your office.')
  } else requireHq(actor, 'read')
  const id = actor.kind === 'device' ? registerId : (await findRegister(db, registerId)).id
  const rows = await db
    .selectFrom('register_entities')
    .selectAll()
    .where('register_id', '=', id)
    .orderBy('entity_id')
    .execute()
  return rows.map((row) => ({
    entityId: row.entity_id,
    label: row.label,
    values: row.values,
    revision: row.revision,
    deleted: row.deleted,
  }))
}
