import { AppFailure } from '../../shared/errors'
import { formatRecoveryKey, openSealed } from '../../shared/crypto/seal'
import type { RegistryDb } from '../db/database'
import type { Actor } from './actors'
import { requireHq } from './actors'
import { appendChanges } from './feed'
import { getRegistryIdentity } from './identity'

/** What binds a sealed data key to one device: the app seals with the same text. */
export function recoveryInfo(deviceId: string): string {
  return `outpost-recovery:${deviceId}`
}

/**
 * Opens a laptop's sealed data key so HQ can read the recovery key out to the office (docs/security.md).
 * Only administrators may; a revoked device (lost or stolen) is refused; every recovery is in the
 * change feed, so it is audited like any other HQ action.
 */
export async function recoverDataKey(
  db: RegistryDb,
  actor: Actor,
  input: { deviceId: string; sealed: string },
): Promise<{ deviceId: string; officeId: string; recoveryKey: string }> {
  const userId = requireHq(actor, 'devices.manage')
  const device = await db
    .selectFrom('devices')
    .select(['id', 'office_id', 'revoked_at'])
    .where('id', '=', input.deviceId)
    .executeTakeFirst()
  if (!device) throw new AppFailure('not_found', 'No device with that id is enrolled with this registry.')
  if (device.revoked_at !== null) {
    throw new AppFailure(
      'forbidden',
      'This device was revoked (reported lost or stolen), so its data key is not recovered. Enroll a new device.',
    )
  }
  const identity = await getRegistryIdentity(db)
  const key = openSealed(identity.encryptionPrivateKey, input.sealed, recoveryInfo(device.id))
  if (key.length !== 32) throw new AppFailure('validation', 'The sealed key does not hold a data key.')
  await appendChanges(db, [
    { officeId: null, kind: 'device.recovered', entityId: device.id, data: { by: userId } },
  ])
  return { deviceId: device.id, officeId: device.office_id, recoveryKey: formatRecoveryKey(key) }
}
