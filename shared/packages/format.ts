import { z } from 'zod'
import { changeSchema, feedCursor } from '../registry-api'
import { syncOpSchema } from '../sync/ops'

/**
 * The USB package format, version 1 (docs/packages.md describes it byte by byte).
 *
 * file      = header (72 bytes, plaintext, bound into the key) || STREAM ciphertext of the payload
 * header    = magic "OUTPOST" 0x1A | u16 format | u8 recipient kind | u8 0 | u32 chunk size
 *             | u64 payload length | 16-byte recipient tag | 32-byte ephemeral X25519 key
 * payload   = u32 manifest length | manifest (UTF-8 JSON) | Ed25519 signature (64)
 *             | entries (JSON lines) | every attachment's bytes, in manifest order
 */
export const packageMagic = new Uint8Array([0x4f, 0x55, 0x54, 0x50, 0x4f, 0x53, 0x54, 0x1a])
export const packageFormatVersion = 1
export const packageExtension = '.outpost'

export const headerLayout = {
  magic: 0, // 8 bytes
  format: 8, // u16 big-endian
  recipientKind: 10, // u8: 1 registry, 2 device
  reserved: 11, // u8, zero
  chunkSize: 12, // u32 big-endian: plaintext bytes per STREAM chunk
  payloadLength: 16, // u64 big-endian: plaintext bytes in all (tells a cut file from a damaged one)
  recipientTag: 24, // 16 bytes: sha256(recipient X25519 public key)[0..16]
  ephemeralKey: 40, // 32 bytes: the sender's one-time X25519 public key
  size: 72,
} as const

export const recipientKinds = { registry: 1, device: 2 } as const
export type RecipientKind = keyof typeof recipientKinds

export const defaultChunkSize = 256 * 1024
export const minChunkSize = 1024
export const maxChunkSize = 4 * 1024 * 1024
export const aeadTagBytes = 16
export const signatureBytes = 64
export const maxManifestBytes = 64 * 1024 * 1024
export const maxEntryBytes = 64 * 1024 * 1024

/** Domain-separation prefixes: a signature or key made for one purpose is useless for another. */
export const signingContext = 'outpost-package-manifest:v1\n'
export const keyContext = 'outpost-package-key:v1'

const sha256Hex = z.string().regex(/^[0-9a-f]{64}$/)
const uuid = z.uuid()

export const packagePartySchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('device'), deviceId: uuid, officeId: uuid }).strict(),
  z.object({ kind: z.literal('registry'), registryId: z.string().min(1).max(100) }).strict(),
])
export type PackageParty = z.infer<typeof packagePartySchema>

export const packageAttachmentSchema = z
  .object({ sha256: sha256Hex, size: z.number().int().nonnegative() })
  .strict()
export type PackageAttachment = z.infer<typeof packageAttachmentSchema>

export const manifestSchema = z
  .object({
    format: z.number().int().positive(),
    packageId: uuid,
    createdAt: z.number().int().nonnegative(),
    source: packagePartySchema,
    destination: packagePartySchema,
    /** Office → HQ: the device's own ops, by local sequence number (from, to]. */
    ops: z
      .object({
        fromSeq: z.number().int().nonnegative(),
        toSeq: z.number().int().nonnegative(),
      })
      .strict()
      .nullable(),
    /**
     * Office → HQ: the device's pull cursor (what it has seen of the feed; HQ's return package
     * starts there). HQ → office: the feed range (from, to] the package carries.
     */
    feed: z.object({ from: feedCursor, to: feedCursor }).strict(),
    counts: z
      .object({
        records: z.number().int().nonnegative(),
        ops: z.number().int().nonnegative(),
        changes: z.number().int().nonnegative(),
        forms: z.number().int().nonnegative(),
        attachments: z.number().int().nonnegative(),
        attachmentBytes: z.number().int().nonnegative(),
        /** HQ → office: the device's ops the registry refused (sent again in every return package). */
        refused: z.number().int().nonnegative().default(0),
      })
      .strict(),
    entries: z
      .object({ bytes: z.number().int().nonnegative(), lines: z.number().int().nonnegative(), sha256: sha256Hex })
      .strict(),
    attachments: z.array(packageAttachmentSchema),
  })
  .strict()
export type PackageManifest = z.infer<typeof manifestSchema>

/** A form version as the pull stores it (electron/core/sync/transport.ts FormDefinition). */
export const packageFormSchema = z
  .object({
    id: uuid,
    formKey: z.string(),
    version: z.string(),
    title: z.string(),
    xform: z.string(),
    sha256: z.string(),
  })
  .strict()

/**
 * HQ → office: an op one of the device's packages carried that the registry would not take
 * (another office's record, a form never published to it). The laptop sets it aside as it does an
 * online refusal, so it no longer waits to be sent.
 */
export const packageRefusedSchema = z
  .object({ opId: uuid, recordId: uuid, code: z.string().min(1).max(40), message: z.string().max(2000) })
  .strict()
export type PackageRefused = z.infer<typeof packageRefusedSchema>

/**
 * HQ → office: a register the package's feed says changed, whole (an office without a network
 * cannot fetch it after the pull as online sync does).
 */
export const packageRegisterSchema = z
  .object({
    id: uuid,
    name: z.string().min(1).max(64),
    title: z.string().max(500),
    entities: z.array(
      z
        .object({
          entityId: z.string().min(1).max(200),
          label: z.string().max(2000),
          values: z.record(z.string(), z.unknown()).nullable(),
          deleted: z.boolean(),
          revision: z.number().int().positive().optional(),
        })
        .strip(),
    ),
  })
  .strict()
export type PackageRegister = z.infer<typeof packageRegisterSchema>

/**
 * One line of the entries section: an op (office → HQ); a feed change, a form, a register or a
 * refused op (HQ → office).
 */
export const packageEntrySchema = z.discriminatedUnion('t', [
  z.object({ t: z.literal('op'), op: syncOpSchema }).strict(),
  z.object({ t: z.literal('change'), change: changeSchema }).strict(),
  z.object({ t: z.literal('form'), form: packageFormSchema }).strict(),
  z.object({ t: z.literal('refused'), refused: packageRefusedSchema }).strict(),
  z.object({ t: z.literal('register'), register: packageRegisterSchema }).strict(),
])
export type PackageEntry = z.infer<typeof packageEntrySchema>
export type PackageEntryInput = z.input<typeof packageEntrySchema>

/** Feed positions (`txid:id`, '' = start) in order; the cursor is opaque to clients but ordered. */
export function compareFeedPositions(a: string, b: string): number {
  const parse = (cursor: string): [bigint, bigint] => {
    const [txid, id] = cursor.split(':')
    return cursor === '' ? [0n, 0n] : [BigInt(txid ?? '0'), BigInt(id ?? '0')]
  }
  const [x, y] = [parse(a), parse(b)]
  if (x[0] !== y[0]) return x[0] < y[0] ? -1 : 1
  return x[1] === y[1] ? 0 : x[1] < y[1] ? -1 : 1
}

/** Why a package was refused; each reason has its own message in refusal.ts. */
export const refusalReasons = [
  'not_a_package',
  'format_newer',
  'wrong_destination',
  'damaged',
  'truncated',
  'bad_signature',
  'unknown_source',
  'revoked_source',
  'already_applied',
  'not_enrolled',
] as const
export type RefusalReason = (typeof refusalReasons)[number]
