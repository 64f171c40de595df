import { createPrivateKey, sign } from 'node:crypto'
import { ed25519 } from '@noble/curves/ed25519.js'
import type Database from 'better-sqlite3'
import { packageRefusal } from '../../../shared/packages/refusal'
import type { KeyStore } from '../sync/keystore'
import { stmt } from '../sync/statements'
import { x25519Public } from './native'

/** What enrollment left in sync_state: who this laptop is to the registry, and the registry's keys. */
export type Enrollment = {
  deviceId: string
  officeId: string
  registryId: string
  registrySigningKey: Uint8Array
  registryEncryptionKey: Uint8Array
}

const read = (sqlite: Database.Database, key: string): string | undefined =>
  (stmt(sqlite, 'SELECT value FROM sync_state WHERE key = ?').get(key) as { value: string } | undefined)?.value

export function readEnrollment(sqlite: Database.Database): Enrollment {
  const deviceId = read(sqlite, 'registry_device_id')
  const officeId = read(sqlite, 'office_id')
  const registryId = read(sqlite, 'registry_id')
  const signing = read(sqlite, 'registry_signing_key')
  const encryption = read(sqlite, 'registry_encryption_key')
  if (!deviceId || !officeId || !registryId || !signing || !encryption) throw packageRefusal('not_enrolled')
  return {
    deviceId,
    officeId,
    registryId,
    registrySigningKey: new Uint8Array(Buffer.from(signing, 'base64')),
    registryEncryptionKey: new Uint8Array(Buffer.from(encryption, 'base64')),
  }
}

/** This laptop's Ed25519 key (from its key store) and the X25519 key HQ seals its packages to. */
export type DeviceKeys = {
  sign: (message: Uint8Array) => Uint8Array
  x25519Secret: Uint8Array
  x25519Public: Uint8Array
}

/** The last keys derived, by their PEM: parsing and converting costs more than a small import. */
let cached: { pem: string; keys: DeviceKeys } | null = null

export async function loadDeviceKeys(keyStore: KeyStore): Promise<DeviceKeys> {
  const secrets = await keyStore.load()
  if (!secrets) throw packageRefusal('not_enrolled')
  if (cached?.pem === secrets.privateKeyPem) return cached.keys
  const privateKey = createPrivateKey(secrets.privateKeyPem)
  const seed = new Uint8Array(Buffer.from(privateKey.export({ format: 'jwk' }).d ?? '', 'base64url'))
  // The same conversion as libsodium's crypto_sign_ed25519_sk_to_curve25519 and age's ssh-ed25519.
  const x25519Secret = ed25519.utils.toMontgomerySecret(seed)
  seed.fill(0)
  const keys: DeviceKeys = {
    sign: (message) => new Uint8Array(sign(null, message, privateKey)),
    x25519Secret,
    x25519Public: x25519Public(x25519Secret),
  }
  cached = { pem: secrets.privateKeyPem, keys }
  return keys
}
