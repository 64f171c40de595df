import { stmt } from './statements'
import { generateKeyPairSync, sign } from 'node:crypto'
import type Database from 'better-sqlite3'
import { AppFailure } from '../../../shared/errors'
import {
  enrollmentMessage,
  enrollResponseSchema,
  registryPaths,
} from '../../../shared/registry-api'
import type { KeyStore } from './keystore'
import { writeState } from './state'
import type { Fetch } from './transport'

/**
 * Enrolls this laptop once: a new Ed25519 key, the code signed with it, the token kept in the key
 * store. The registry's address and this device's ids go in sync_state.
 */
export async function enrollDevice(
  sqlite: Database.Database,
  keyStore: KeyStore,
  input: { registryUrl: string; code: string; deviceName: string },
  fetcher: Fetch = fetch,
): Promise<{ deviceId: string; officeId: string }> {
  const pair = generateKeyPairSync('ed25519')
  const publicKey = Buffer.from(
    pair.publicKey.export({ format: 'jwk' }).x ?? '',
    'base64url',
  ).toString('base64')
  const signature = sign(
    null,
    Buffer.from(enrollmentMessage(input.code, publicKey)),
    pair.privateKey,
  ).toString('base64')
  const url = input.registryUrl.replace(/\/+$/, '')
  let response: Response
  try {
    response = await fetcher(`${url}${registryPaths.enroll}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        code: input.code,
        deviceName: input.deviceName,
        publicKey,
        signature,
      }),
    })
  } catch {
    throw new AppFailure(
      'offline',
      'The registry cannot be reached at that address. Check the address and the connection, then try again.',
    )
  }
  const body = (await response.json()) as { error?: { code?: string; message?: string } }
  if (!response.ok)
    throw new AppFailure(
      response.status === 401 || response.status === 403 ? 'unauthorized' : 'validation',
      body.error?.message ?? 'The registry refused the enrollment code.',
    )
  const enrolled = enrollResponseSchema.parse(body)
  await keyStore.save({
    privateKeyPem: pair.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
    publicKey,
    token: enrolled.token,
  })
  sqlite.transaction(() => {
    writeState(sqlite, 'registry_url', url)
    writeState(sqlite, 'registry_device_id', enrolled.deviceId)
    writeState(sqlite, 'office_id', enrolled.officeId)
    // What the app seals its recovery wrap to and verifies HQ's packages with (docs/security.md).
    writeState(sqlite, 'registry_id', enrolled.registry.registryId)
    writeState(sqlite, 'registry_signing_key', enrolled.registry.signingPublicKey)
    writeState(sqlite, 'registry_encryption_key', enrolled.registry.encryptionPublicKey)
  })()
  stmt(sqlite, 'UPDATE devices SET public_key = ? WHERE is_self = 1').run(publicKey)
  return { deviceId: enrolled.deviceId, officeId: enrolled.officeId }
}
