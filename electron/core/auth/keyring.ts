import { createCipheriv, createDecipheriv, createHmac, randomBytes, timingSafeEqual } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { hashRaw, type Algorithm } from '@node-rs/argon2'
import { z } from 'zod'
import { AppFailure } from '../../../shared/errors'
import { writeFileAtomic } from '../db/durable'

/**
 * The keyring: the one random data key that encrypts the database and the attachments, wrapped
 * (never stored) once per local user under a key derived from their password, optionally by the
 * OS keychain, and for HQ recovery sealed to the registry's public key. Nothing in this file
 * opens anything without one of those secrets. It holds user names in the clear (so the login
 * screen can find the right wrap before the database opens); roles and everything else live in
 * the encrypted database.
 */

/** Argon2id parameters; stored with each wrap so they can be raised later without a migration. */
export const kdfSchema = z.object({
  algorithm: z.literal('argon2id'),
  memoryKiB: z.number().int().min(8),
  iterations: z.number().int().min(1),
  parallelism: z.number().int().min(1),
})
export type KdfParams = z.infer<typeof kdfSchema>

/**
 * 64 MiB, 3 passes, 1 lane: about 0.3 s on a 2-core laptop (measured), above OWASP's argon2id
 * minimum (19 MiB, 2 passes). Offline guessing then costs 64 MiB and 0.3 s per try.
 */
export const defaultKdf: KdfParams = { algorithm: 'argon2id', memoryKiB: 65_536, iterations: 3, parallelism: 1 }

const b64 = z.string().max(10_000)

const userWrapSchema = z.object({
  userId: z.string(),
  username: z.string(),
  kdf: kdfSchema,
  salt: b64,
  /** AES-256-GCM: 12-byte nonce ‖ ciphertext ‖ 16-byte tag, base64. */
  wrapped: b64,
})
export type UserWrap = z.infer<typeof userWrapSchema>

export const keyringSchema = z.object({
  version: z.literal(1),
  /** This laptop's device id (set at the first open: the device row lives in the database). */
  deviceId: z.string().nullable(),
  officeName: z.string(),
  /** The first supervisor, created in the database on the first open (setup may be interrupted). */
  firstUser: z.object({ userId: z.string(), username: z.string(), displayName: z.string() }),
  /** HMAC of a constant under the data key: tells a wrong recovery key from a right one. */
  keyCheck: b64,
  users: z.array(userWrapSchema),
  /** The data key sealed by the OS keychain (Electron safeStorage), base64; null without one. */
  keychain: b64.nullable(),
  /**
   * The data key sealed to the registry's X25519 key (shared/crypto/seal) with the info
   * `outpost-recovery:<deviceId>`, the device id the registry gave at enrollment: HQ opens it.
   */
  recovery: z.object({ deviceId: z.string(), sealed: b64 }).nullable(),
  createdAt: z.number().int(),
})
export type Keyring = z.infer<typeof keyringSchema>

export const keyringFile = (dataDir: string): string => join(dataDir, 'keyring.json')

export const keyringBackupFile = (dataDir: string): string => join(dataDir, 'keyring.backup.json')

type KeyringRead = { keyring: Keyring } | { missing: true } | { damaged: unknown }

async function readKeyringFile(path: string): Promise<KeyringRead> {
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { missing: true }
    return { damaged: error }
  }
  try {
    return { keyring: keyringSchema.parse(JSON.parse(text)) }
  } catch (error) {
    return { damaged: error }
  }
}

/**
 * The keyring, or null before setup. Every write leaves a second copy (keyring.backup.json): a
 * damaged or vanished keyring.json (a bad disk sector, a half-restored backup, someone editing
 * it) is read from the copy and rewritten, instead of locking the office out of its data. With
 * both damaged the data key is gone from this laptop: the error says so and names the files.
 */
export async function readKeyring(dataDir: string, log?: (message: string, detail?: unknown) => void): Promise<Keyring | null> {
  const main = await readKeyringFile(keyringFile(dataDir))
  if ('keyring' in main) return main.keyring
  const backup = await readKeyringFile(keyringBackupFile(dataDir))
  if ('keyring' in backup) {
    log?.('keyring.json was missing or damaged; restored from keyring.backup.json', 'damaged' in main ? main.damaged : 'missing')
    await writeFileAtomic(keyringFile(dataDir), JSON.stringify(backup.keyring, null, 1))
    return backup.keyring
  }
  if ('missing' in main && 'missing' in backup) return null // not set up yet
  throw new AppFailure(
    'internal',
    `The key file of this laptop (${keyringFile(dataDir)}) and its copy are damaged, so the data cannot be opened. Restore the folder from a backup; nothing has been changed.`,
  )
}

export async function writeKeyring(dataDir: string, keyring: Keyring): Promise<void> {
  const text = JSON.stringify(keyringSchema.parse(keyring), null, 1)
  // The copy second: at every moment at least one of the two files is complete and current or one change behind.
  await writeFileAtomic(keyringFile(dataDir), text)
  await writeFileAtomic(keyringBackupFile(dataDir), text)
}

export function newDataKey(): Buffer {
  return randomBytes(32)
}

export function keyCheckOf(dataKey: Uint8Array): string {
  return createHmac('sha256', dataKey).update('outpost-key-check-v1').digest('base64')
}

export function isDataKey(keyring: Keyring, candidate: Uint8Array): boolean {
  const expected = Buffer.from(keyring.keyCheck, 'base64')
  const actual = Buffer.from(keyCheckOf(candidate), 'base64')
  return expected.length === actual.length && timingSafeEqual(expected, actual)
}

async function passwordKey(password: string, salt: Buffer, kdf: KdfParams): Promise<Buffer> {
  return hashRaw(password.normalize('NFC'), {
    // Algorithm.Argon2id: a const enum, which this build cannot read at run time.
    algorithm: 2 as Algorithm.Argon2id,
    salt,
    memoryCost: kdf.memoryKiB,
    timeCost: kdf.iterations,
    parallelism: kdf.parallelism,
    outputLen: 32,
  })
}

const wrapAad = (userId: string) => Buffer.from(`outpost-keywrap-v1:${userId}`)

export async function wrapForUser(
  dataKey: Uint8Array,
  user: { userId: string; username: string },
  password: string,
  kdf: KdfParams = defaultKdf,
): Promise<UserWrap> {
  const salt = randomBytes(16)
  const kek = await passwordKey(password, salt, kdf)
  const nonce = randomBytes(12)
  const cipher = createCipheriv('aes-256-gcm', kek, nonce).setAAD(wrapAad(user.userId))
  const body = Buffer.concat([cipher.update(dataKey), cipher.final(), cipher.getAuthTag()])
  kek.fill(0)
  return { ...user, kdf, salt: salt.toString('base64'), wrapped: Buffer.concat([nonce, body]).toString('base64') }
}

/** The data key, or null when the password is wrong (the GCM tag does not verify). */
export async function unwrapForUser(wrap: UserWrap, password: string): Promise<Buffer | null> {
  const kek = await passwordKey(password, Buffer.from(wrap.salt, 'base64'), wrap.kdf)
  const blob = Buffer.from(wrap.wrapped, 'base64')
  try {
    const decipher = createDecipheriv('aes-256-gcm', kek, blob.subarray(0, 12)).setAAD(wrapAad(wrap.userId))
    decipher.setAuthTag(blob.subarray(blob.length - 16))
    return Buffer.concat([decipher.update(blob.subarray(12, blob.length - 16)), decipher.final()])
  } catch {
    return null // authentication failed: wrong password (or a tampered wrap)
  } finally {
    kek.fill(0)
  }
}

export function recoveryInfo(deviceId: string): string {
  return `outpost-recovery:${deviceId}`
}
