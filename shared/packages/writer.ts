import { sha256 } from '@noble/hashes/sha2.js'
import { AppFailure } from '../errors'
import type {
  PackageAttachment,
  PackageEntryInput,
  PackageManifest,
  RecipientKind,
} from './format'
import {
  aeadTagBytes,
  defaultChunkSize,
  headerLayout,
  manifestSchema,
  packageFormatVersion,
  packageMagic,
  recipientKinds,
  signatureBytes,
  signingContext,
} from './format'
import { deriveStreamKey, newEphemeral, recipientTag, sharedSecret, StreamSealer } from './stream'

/** Incremental SHA-256. Node callers pass `() => createHash('sha256')` (native, ~15× faster). */
export type Hasher = { update(data: Uint8Array): unknown; digest(): Uint8Array }
export type HashFactory = () => Hasher
export const pureSha256: HashFactory = () => sha256.create()

const encoder = new TextEncoder()
const hex = (bytes: Uint8Array): string =>
  Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('')

export type ManifestBase = Pick<
  PackageManifest,
  'packageId' | 'createdAt' | 'source' | 'destination' | 'ops' | 'feed'
>

export type WritePackageOptions = {
  base: ManifestBase
  /** Called twice (hash pass, write pass): must yield the same entries both times. */
  entries: () => AsyncIterable<PackageEntryInput>
  attachments: readonly PackageAttachment[]
  readAttachment: (attachment: PackageAttachment) => AsyncIterable<Uint8Array>
  sign: (message: Uint8Array) => Uint8Array | Promise<Uint8Array>
  recipient: { kind: RecipientKind; publicKey: Uint8Array }
  sink: (bytes: Uint8Array) => Promise<void>
  createHash?: HashFactory
  chunkSize?: number
  onProgress?: (written: number, total: number) => void
}

type EntryStats = { bytes: number; lines: number; sha256: string; counts: PackageManifest['counts'] }

function recordIdOf(entry: PackageEntryInput): string | null {
  if (entry.t === 'op') return entry.op.recordId
  if (entry.t === 'change' && entry.change.kind === 'record.op') return entry.change.entityId
  return null
}

async function entryStats(options: WritePackageOptions, hash: HashFactory): Promise<EntryStats> {
  const hasher = hash()
  const records = new Set<string>()
  const counts = { records: 0, ops: 0, changes: 0, forms: 0, attachments: 0, attachmentBytes: 0, refused: 0 }
  let bytes = 0
  let lines = 0
  for await (const entry of options.entries()) {
    const line = encoder.encode(`${JSON.stringify(entry)}\n`)
    hasher.update(line)
    bytes += line.length
    lines++
    const recordId = recordIdOf(entry)
    if (recordId) records.add(recordId)
    if (entry.t === 'op' || (entry.t === 'change' && entry.change.kind === 'record.op')) counts.ops++
    if (entry.t === 'change') counts.changes++
    if (entry.t === 'form') counts.forms++
    if (entry.t === 'refused') counts.refused++
  }
  counts.records = records.size
  counts.attachments = options.attachments.length
  counts.attachmentBytes = options.attachments.reduce((sum, a) => sum + a.size, 0)
  return { bytes, lines, sha256: hex(hasher.digest()), counts }
}

export function encryptedSize(payloadBytes: number, chunkSize: number): number {
  const chunks = Math.max(1, Math.ceil(payloadBytes / chunkSize))
  return headerLayout.size + payloadBytes + chunks * aeadTagBytes
}

function makeHeader(kind: RecipientKind, chunkSize: number, payloadLength: number, recipient: Uint8Array, ephemeral: Uint8Array): Uint8Array {
  const header = new Uint8Array(headerLayout.size)
  const view = new DataView(header.buffer)
  header.set(packageMagic, headerLayout.magic)
  view.setUint16(headerLayout.format, packageFormatVersion)
  header[headerLayout.recipientKind] = recipientKinds[kind]
  view.setUint32(headerLayout.chunkSize, chunkSize)
  view.setBigUint64(headerLayout.payloadLength, BigInt(payloadLength))
  header.set(recipientTag(recipient), headerLayout.recipientTag)
  header.set(ephemeral, headerLayout.ephemeralKey)
  return header
}

/**
 * Writes one package: a first pass over the entries hashes and counts them, so the signed
 * manifest can lead the payload; the second pass streams entries and attachments through the
 * sealer into `sink`. Nothing larger than one chunk is held in memory.
 */
export async function writePackage(options: WritePackageOptions): Promise<{ manifest: PackageManifest; bytes: number }> {
  const hash = options.createHash ?? pureSha256
  const chunkSize = options.chunkSize ?? defaultChunkSize
  const stats = await entryStats(options, hash)
  const manifest = manifestSchema.parse({
    format: packageFormatVersion,
    ...options.base,
    counts: stats.counts,
    entries: { bytes: stats.bytes, lines: stats.lines, sha256: stats.sha256 },
    attachments: [...options.attachments],
  } satisfies PackageManifest)
  const manifestBytes = encoder.encode(JSON.stringify(manifest))
  const context = encoder.encode(signingContext)
  const message = new Uint8Array(context.length + manifestBytes.length)
  message.set(context, 0)
  message.set(manifestBytes, context.length)
  const signature = await options.sign(message)
  if (signature.length !== signatureBytes) throw new Error('An Ed25519 signature is 64 bytes.')

  const payloadBytes = 4 + manifestBytes.length + signatureBytes + stats.bytes + stats.counts.attachmentBytes
  const ephemeral = newEphemeral()
  const header = makeHeader(options.recipient.kind, chunkSize, payloadBytes, options.recipient.publicKey, ephemeral.publicKey)
  const key = await deriveStreamKey(
    sharedSecret(ephemeral.secretKey, options.recipient.publicKey),
    ephemeral.publicKey,
    options.recipient.publicKey,
    header,
  )
  const sealer = new StreamSealer(key, chunkSize)
  const total = encryptedSize(payloadBytes, chunkSize)
  let written = 0
  const emit = async (bytes: Uint8Array): Promise<void> => {
    await options.sink(bytes)
    written += bytes.length
    options.onProgress?.(written, total)
  }
  const push = async (plain: Uint8Array): Promise<void> => {
    for (const sealed of await sealer.push(plain)) await emit(sealed)
  }
  await emit(header)
  const length = new Uint8Array(4)
  new DataView(length.buffer).setUint32(0, manifestBytes.length)
  await push(length)
  await push(manifestBytes)
  await push(signature)

  const again = hash()
  let batch: Uint8Array[] = []
  let batchBytes = 0
  for await (const entry of options.entries()) {
    const line = encoder.encode(`${JSON.stringify(entry)}\n`)
    again.update(line)
    batch.push(line)
    batchBytes += line.length
    if (batchBytes >= chunkSize) {
      await push(concat(batch, batchBytes))
      batch = []
      batchBytes = 0
    }
  }
  if (batchBytes > 0) await push(concat(batch, batchBytes))
  if (hex(again.digest()) !== stats.sha256)
    throw new AppFailure('conflict', 'The data changed while the package was being written. Export again.')

  for (const attachment of options.attachments) await copyAttachment(options, attachment, hash, push)
  await emit(await sealer.finish())
  return { manifest, bytes: written }
}

async function copyAttachment(
  options: WritePackageOptions,
  attachment: PackageAttachment,
  hash: HashFactory,
  push: (plain: Uint8Array) => Promise<void>,
): Promise<void> {
  const hasher = hash()
  let size = 0
  for await (const piece of options.readAttachment(attachment)) {
    hasher.update(piece)
    size += piece.length
    if (size > attachment.size) break
    await push(piece)
  }
  if (size !== attachment.size || hex(hasher.digest()) !== attachment.sha256) {
    throw new AppFailure(
      'conflict',
      `The attached file ${attachment.sha256.slice(0, 12)}… on this computer is damaged or missing, so no package was written. Ask your supervisor to check the attachments folder.`,
    )
  }
}

function concat(parts: Uint8Array[], size: number): Uint8Array {
  const out = new Uint8Array(size)
  let offset = 0
  for (const part of parts) {
    out.set(part, offset)
    offset += part.length
  }
  return out
}

export { hex as toHex }
