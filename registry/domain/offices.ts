import { uuidv7 } from 'uuidv7'
import { AppFailure } from '../../shared/errors'
import type { RegistryDb } from '../db/database'
import type { Actor } from './actors'
import { requireHq } from './actors'
import { appendChanges } from './feed'

export type OfficeDto = { id: string; code: string; name: string; createdAt: string }

export async function createOffice(
  db: RegistryDb,
  actor: Actor,
  input: { code: string; name: string },
): Promise<OfficeDto> {
  requireHq(actor, 'offices.manage')
  const code = input.code.trim().toLowerCase()
  if (!/^[a-z0-9][a-z0-9_-]{0,39}$/.test(code)) {
    throw new AppFailure(
      'validation',
      'An office code is 1 to 40 lowercase letters, digits, - or _, e.g. "kenya-north".',
    )
  }
  if (!input.name.trim()) throw new AppFailure('validation', 'An office needs a name.')
  return db.transaction().execute(async (trx) => {
    const taken = await trx
      .selectFrom('offices')
      .select('id')
      .where('code', '=', code)
      .executeTakeFirst()
    if (taken) throw new AppFailure('conflict', `An office with the code "${code}" already exists.`)
    const row = await trx
      .insertInto('offices')
      .values({ id: uuidv7(), code, name: input.name.trim() })
      .returningAll()
      .executeTakeFirstOrThrow()
    await appendChanges(trx, [
      { officeId: null, kind: 'office.created', entityId: row.id, data: { code } },
    ])
    return toOfficeDto(row)
  })
}

export async function listOffices(db: RegistryDb, actor: Actor): Promise<OfficeDto[]> {
  requireHq(actor, 'read')
  const rows = await db.selectFrom('offices').selectAll().orderBy('code').execute()
  return rows.map(toOfficeDto)
}

/** Finds an office by id or code (the CLI takes codes), or says it does not exist. */
export async function findOffice(db: RegistryDb, idOrCode: string): Promise<OfficeDto> {
  const isUuid = /^[0-9a-f-]{36}$/i.test(idOrCode)
  const row = await db
    .selectFrom('offices')
    .selectAll()
    .where(isUuid ? 'id' : 'code', '=', isUuid ? idOrCode : idOrCode.toLowerCase())
    .executeTakeFirst()
  if (!row) throw new AppFailure('not_found', `There is no office "${idOrCode}".`)
  return toOfficeDto(row)
}

function toOfficeDto(row: { id: string; code: string; name: string; created_at: Date }): OfficeDto {
  return {
    id: row.id,
    code: row.code,
    name: row.name,
    createdAt: new Date(row.created_at).toISOString(),
  }
}
