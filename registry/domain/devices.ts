import { createPublicKey, verify } from 'node:crypto'
import { uuidv7 } from 'uuidv7'
import { AppFailure } from '../../shared/errors'
import type { EnrollRequest, EnrollResponse } from '../../shared/registry-api'
import { enrollmentMessage } from '../../shared/registry-api'
import type { RegistryDb } from '../db/database'
import type { Actor, DeviceActor } from './actors'
import { requireHq } from './actors'
import { appendChanges } from './feed'
import { getRegistryIdentity, publicIdentity } from './identity'
import { findOffice } from './offices'
import { hashToken, newEnrollmentCode, newToken, normalizeEnrollmentCode } from './tokens'

export type DeviceDto = {
  id: string
  officeId: string
  name: string
  enrolledAt: string
  revokedAt: string | null
}

export async function createEnrollmentCode(
  db: RegistryDb,
  actor: Actor,
  input: { office: string; validHours?: number },
): Promise<{ code: string; officeId: string; expiresAt: string }> {
  const userId = requireHq(actor, 'devices.manage')
  const office = await findOffice(db, input.office)
  const hours = input.validHours ?? 72
  if (!(hours > 0 && hours <= 24 * 30))
    throw new AppFailure('validation', 'A code is valid for 1 hour to 30 days.')
  const code = newEnrollmentCode()
  const expiresAt = new Date(Date.now() + hours * 3_600_000)
  await db
    .insertInto('enrollment_codes')
    .values({
      code_hash: hashToken(code),
      office_id: office.id,
      created_by: userId,
      expires_at: expiresAt,
    })
    .execute()
  return { code, officeId: office.id, expiresAt: expiresAt.toISOString() }
}

// DER prefix that turns a raw 32-byte Ed25519 key into SubjectPublicKeyInfo.
const ed25519Spki = Buffer.from('302a300506032b6570032100', 'hex')

function checkKeyPossession(request: EnrollRequest): void {
  const raw = Buffer.from(request.publicKey, 'base64')
  const signature = Buffer.from(request.signature, 'base64')
  let valid = false
  if (raw.length === 32 && signature.length === 64) {
    const key = createPublicKey({
      key: Buffer.concat([ed25519Spki, raw]),
      format: 'der',
      type: 'spki',
    })
    valid = verify(
      null,
      Buffer.from(enrollmentMessage(request.code, request.publicKey)),
      key,
      signature,
    )
  }
  if (!valid) {
    throw new AppFailure(
      'unauthorized',
      'The device could not prove it holds its key. Restart enrollment on the device.',
    )
  }
}

function refuseCode(reason: string): never {
  throw new AppFailure('unauthorized', `This enrollment code ${reason}. Ask HQ for a new code.`)
}

/** Uses a code once: the row is locked, so two devices racing with one code cannot both enroll. */
export async function enrollDevice(
  db: RegistryDb,
  request: EnrollRequest,
): Promise<EnrollResponse> {
  checkKeyPossession(request)
  const registry = publicIdentity(await getRegistryIdentity(db))
  const codeHash = hashToken(normalizeEnrollmentCode(request.code))
  return db.transaction().execute(async (trx) => {
    const code = await trx
      .selectFrom('enrollment_codes')
      .selectAll()
      .where('code_hash', '=', codeHash)
      .forUpdate()
      .executeTakeFirst()
    if (!code) refuseCode('is not valid: check it was typed as given')
    if (code.used_at !== null) refuseCode('was already used')
    if (new Date(code.expires_at).getTime() <= Date.now()) refuseCode('has expired')
    const token = newToken('odt')
    const deviceId = uuidv7()
    await trx
      .insertInto('devices')
      .values({
        id: deviceId,
        office_id: code.office_id,
        name: request.deviceName,
        public_key: request.publicKey,
        token_hash: hashToken(token),
      })
      .execute()
    await trx
      .updateTable('enrollment_codes')
      .set({ used_at: new Date(), device_id: deviceId })
      .where('code_hash', '=', codeHash)
      .execute()
    await appendChanges(trx, [
      {
        officeId: null,
        kind: 'device.enrolled',
        entityId: deviceId,
        data: { officeId: code.office_id },
      },
    ])
    return { deviceId, officeId: code.office_id, token, registry }
  })
}

export async function authenticateDevice(db: RegistryDb, token: string): Promise<DeviceActor> {
  const row = await db
    .selectFrom('devices')
    .select(['id', 'office_id', 'revoked_at'])
    .where('token_hash', '=', hashToken(token))
    .executeTakeFirst()
  if (!row)
    throw new AppFailure(
      'unauthorized',
      'This device is not enrolled with the registry. Enroll it with a code from HQ.',
    )
  if (row.revoked_at !== null) {
    throw new AppFailure(
      'unauthorized',
      'HQ revoked this device. Its data is still on it; ask HQ to enroll it again.',
    )
  }
  return { kind: 'device', deviceId: row.id, officeId: row.office_id }
}

export async function listDevices(
  db: RegistryDb,
  actor: Actor,
  office?: string,
): Promise<DeviceDto[]> {
  requireHq(actor, 'read')
  let query = db
    .selectFrom('devices')
    .select(['id', 'office_id', 'name', 'enrolled_at', 'revoked_at'])
  if (office) query = query.where('office_id', '=', (await findOffice(db, office)).id)
  const rows = await query.orderBy('enrolled_at').execute()
  return rows.map((row) => ({
    id: row.id,
    officeId: row.office_id,
    name: row.name,
    enrolledAt: new Date(row.enrolled_at).toISOString(),
    revokedAt: row.revoked_at === null ? null : new Date(row.revoked_at).toISOString(),
  }))
}

export async function revokeDevice(db: RegistryDb, actor: Actor, deviceId: string): Promise<void> {
  requireHq(actor, 'devices.manage')
  if (!/^[0-9a-f-]{36}$/i.test(deviceId))
    throw new AppFailure('not_found', `There is no device "${deviceId}".`)
  await db.transaction().execute(async (trx) => {
    const row = await trx
      .updateTable('devices')
      .set({ revoked_at: new Date() })
      .where('id', '=', deviceId)
      .where('revoked_at', 'is', null)
      .returning(['id', 'office_id'])
      .executeTakeFirst()
    if (!row) {
      const exists = await trx
        .selectFrom('devices')
        .select('id')
        .where('id', '=', deviceId)
        .executeTakeFirst()
      if (!exists) throw new AppFailure('not_found', `There is no device "${deviceId}".`)
      return
    }
    await appendChanges(trx, [
      {
        officeId: null,
        kind: 'device.revoked',
        entityId: row.id,
        data: { officeId: row.office_id },
      },
    ])
  })
}
