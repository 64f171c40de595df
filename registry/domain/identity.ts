import { generateKeyPairSync } from 'node:crypto'
import { sql } from 'kysely'
import { uuidv7 } from 'uuidv7'
import { generateX25519, toBase64, fromBase64 } from '../../shared/crypto/seal'
import type { RegistryDb } from '../db/database'

/** The registry's keys: what offices verify (signing) and seal to (encryption). */
export type RegistryIdentity = {
  registryId: string
  /** Ed25519, raw 32 bytes, base64. */
  signingPublicKey: string
  /** X25519, raw 32 bytes, base64. */
  encryptionPublicKey: string
  /** Ed25519 private key, PKCS#8 PEM (for node:crypto sign). */
  signingPrivateKeyPem: string
  /** X25519 private key, raw 32 bytes. */
  encryptionPrivateKey: Uint8Array
}

export type PublicIdentity = Pick<
  RegistryIdentity,
  'registryId' | 'signingPublicKey' | 'encryptionPublicKey'
>

const cache = new WeakMap<RegistryDb, RegistryIdentity>()

/**
 * Reads the registry's identity, making it on first use. Several instances may start at once on
 * one database: the row is unique, the loser's insert does nothing and everyone reads the winner's.
 * Keys never change once made, so each process keeps what it read.
 */
export async function getRegistryIdentity(db: RegistryDb): Promise<RegistryIdentity> {
  const cached = cache.get(db)
  if (cached) return cached
  let row = await db.selectFrom('registry_identity').selectAll().executeTakeFirst()
  if (!row) {
    const signing = generateKeyPairSync('ed25519')
    const encryption = generateX25519()
    await db
      .insertInto('registry_identity')
      .values({
        id: uuidv7(),
        signing_public_key: Buffer.from(
          signing.publicKey.export({ format: 'jwk' }).x ?? '',
          'base64url',
        ).toString('base64'),
        signing_private_key: signing.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
        encryption_public_key: toBase64(encryption.publicKey),
        encryption_private_key: toBase64(encryption.privateKey),
      })
      .onConflict((conflict) => conflict.column('singleton').doNothing())
      .execute()
    row = await db.selectFrom('registry_identity').selectAll().executeTakeFirstOrThrow()
  }
  const identity: RegistryIdentity = {
    registryId: row.id,
    signingPublicKey: row.signing_public_key,
    encryptionPublicKey: row.encryption_public_key,
    signingPrivateKeyPem: row.signing_private_key,
    encryptionPrivateKey: fromBase64(row.encryption_private_key),
  }
  cache.set(db, identity)
  return identity
}

export function publicIdentity(identity: RegistryIdentity): PublicIdentity {
  const { registryId, signingPublicKey, encryptionPublicKey } = identity
  return { registryId, signingPublicKey, encryptionPublicKey }
}

/**
 * The registry's epoch (migration 0007): every device compares it on each sync and reconciles in
 * full when it changed. Not cached: `outpost registry epoch rotate` may run beside a live server.
 * Raw SQL: the table is this module's alone.
 */
export async function readEpoch(db: RegistryDb): Promise<{ epoch: string; rotatedAt: string }> {
  const row = await sql<{ epoch: string; rotated_at: Date | string }>`
    SELECT epoch::text AS epoch, rotated_at FROM registry_epoch`.execute(db)
  const first = row.rows[0]
  if (!first) throw new Error('The registry has no epoch row (migration 0007 not applied).')
  return { epoch: first.epoch, rotatedAt: new Date(first.rotated_at).toISOString() }
}

/**
 * A new epoch, for the restore procedure: run it on a registry restored from a backup, before
 * devices reach it, so every device re-sends all it holds and re-reads the whole feed.
 */
export async function rotateEpoch(db: RegistryDb): Promise<string> {
  const row = await sql<{ epoch: string }>`
    UPDATE registry_epoch SET epoch = gen_random_uuid(), rotated_at = now()
    RETURNING epoch::text AS epoch`.execute(db)
  const epoch = row.rows[0]?.epoch
  if (!epoch) throw new Error('The registry has no epoch row (migration 0007 not applied).')
  return epoch
}
