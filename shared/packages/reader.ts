import { ed25519 } from '@noble/curves/ed25519.js'
import type { PackageAttachment, PackageEntry, PackageManifest, RecipientKind } from './format'
import {
  headerLayout,
  manifestSchema,
  maxChunkSize,
  maxEntryBytes,
  maxManifestBytes,
  minChunkSize,
  packageEntrySchema,
  packageFormatVersion,
  packageMagic,
  recipientKinds,
  signatureBytes,
  signingContext,
} from './format'
import { packageRefusal } from './refusal'
import { deriveStreamKey, recipientTag, sharedSecret, StreamAuthError, StreamOpener } from './stream'
import type { HashFactory } from './writer'
import { encryptedSize, pureSha256, toHex } from './writer'

export type ReadPackageOptions = {
  /** The recipient's X25519 key pair (a device converts its Ed25519 key, see docs/packages.md). */
  secretKey: Uint8Array
  publicKey: Uint8Array
  recipientKind: RecipientKind
  /**
   * Judges the manifest before anything else is read (destination, source known and not revoked,
   * not already applied) and answers the source's Ed25519 public key. Throws a refusal to stop.
   */
  trust: (manifest: PackageManifest) => Uint8Array | Promise<Uint8Array>
  createHash?: HashFactory
  /** Native X25519 and Ed25519 where the caller has them (Node's crypto is ~20× faster than pure JS). */
  ecdh?: (secretKey: Uint8Array, publicKey: Uint8Array) => Uint8Array
  verify?: (signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array) => boolean
}

export type PackageHandlers = {
  onManifest?: (manifest: PackageManifest) => void | Promise<void>
  onEntry?: (entry: PackageEntry) => void | Promise<void>
  onAttachmentData?: (attachment: PackageAttachment, bytes: Uint8Array) => void | Promise<void>
  onAttachmentEnd?: (attachment: PackageAttachment, index: number) => void | Promise<void>
}

const decoder = () => new TextDecoder('utf-8', { fatal: true })
const encoder = new TextEncoder()
const refuse = packageRefusal

/** Reads the plaintext header; every refusal that needs no key happens here. */
export function parseHeader(
  header: Uint8Array,
  expected: { recipientKind: RecipientKind; publicKey: Uint8Array },
): { chunkSize: number; payloadLength: number; ephemeral: Uint8Array } {
  const magicOk = packageMagic.every((byte, i) => header[i] === byte)
  if (header.length < headerLayout.size) throw refuse(magicOk || header.length < 8 ? 'truncated' : 'not_a_package')
  if (!magicOk) throw refuse('not_a_package')
  const view = new DataView(header.buffer, header.byteOffset, header.byteLength)
  const format = view.getUint16(headerLayout.format)
  if (format > packageFormatVersion)
    throw refuse('format_newer', `package format ${format}, this Outpost reads up to ${packageFormatVersion}`)
  const chunkSize = view.getUint32(headerLayout.chunkSize)
  if (format < 1 || header[headerLayout.reserved] !== 0 || chunkSize < minChunkSize || chunkSize > maxChunkSize)
    throw refuse('damaged', 'header')
  const tag = recipientTag(expected.publicKey)
  const tagOk = tag.every((byte, i) => header[headerLayout.recipientTag + i] === byte)
  if (header[headerLayout.recipientKind] !== recipientKinds[expected.recipientKind] || !tagOk)
    throw refuse('wrong_destination')
  const payloadLength = Number(view.getBigUint64(headerLayout.payloadLength))
  return { chunkSize, payloadLength, ephemeral: header.slice(headerLayout.ephemeralKey, headerLayout.ephemeralKey + 32) }
}

function safeEcdh(ecdh: NonNullable<ReadPackageOptions['ecdh']>, secretKey: Uint8Array, publicKey: Uint8Array): Uint8Array {
  try {
    return ecdh(secretKey, publicKey)
  } catch {
    return new Uint8Array(32) // an invalid point: refused as all-zero by deriveStreamKey
  }
}

type Phase = 'length' | 'manifest' | 'signature' | 'entries' | 'attachments' | 'done'

/** Consumes the decrypted payload section by section, checking each against the signed manifest. */
class PayloadReader {
  phase: Phase = 'length'
  private buffer = new Uint8Array(0)
  private need = 4
  private manifestBytes = new Uint8Array(0)
  manifest: PackageManifest | null = null
  private entriesLeft = 0
  private entryHash
  private text = ''
  private textDecoder = decoder()
  private lines = 0
  private attachmentIndex = 0
  private attachmentLeft = 0
  private attachmentHash
  received = 0

  constructor(
    private readonly options: ReadPackageOptions,
    private readonly handlers: PackageHandlers,
    private readonly hash: HashFactory,
  ) {
    this.entryHash = hash()
    this.attachmentHash = hash()
  }

  async feed(bytes: Uint8Array): Promise<void> {
    this.received += bytes.length
    let offset = 0
    while (offset < bytes.length) {
      if (this.phase === 'entries') offset += await this.entries(bytes.subarray(offset))
      else if (this.phase === 'attachments') offset += await this.attachment(bytes.subarray(offset))
      else if (this.phase === 'done') throw refuse('damaged', 'data after the end')
      else {
        const n = Math.min(this.need - this.buffer.length, bytes.length - offset)
        const next = new Uint8Array(this.buffer.length + n)
        next.set(this.buffer, 0)
        next.set(bytes.subarray(offset, offset + n), this.buffer.length)
        this.buffer = next
        offset += n
        if (this.buffer.length === this.need) await this.fixed()
      }
    }
  }

  private async fixed(): Promise<void> {
    const bytes = this.buffer
    this.buffer = new Uint8Array(0)
    if (this.phase === 'length') {
      const length = new DataView(bytes.buffer, bytes.byteOffset).getUint32(0)
      if (length === 0 || length > maxManifestBytes) throw refuse('damaged', 'manifest length')
      this.phase = 'manifest'
      this.need = length
    } else if (this.phase === 'manifest') {
      this.manifestBytes = bytes
      this.phase = 'signature'
      this.need = signatureBytes
    } else if (this.phase === 'signature') await this.verify(bytes)
  }

  private async verify(signature: Uint8Array): Promise<void> {
    let parsed: unknown
    try {
      parsed = JSON.parse(decoder().decode(this.manifestBytes))
    } catch {
      throw refuse('damaged', 'manifest')
    }
    const format = (parsed as { format?: unknown } | null)?.format
    if (typeof format === 'number' && format > packageFormatVersion) throw refuse('format_newer')
    const result = manifestSchema.safeParse(parsed)
    if (!result.success) throw refuse('damaged', 'manifest')
    const manifest = result.data
    const signer = await this.options.trust(manifest)
    const context = encoder.encode(signingContext)
    const message = new Uint8Array(context.length + this.manifestBytes.length)
    message.set(context, 0)
    message.set(this.manifestBytes, context.length)
    let valid: boolean
    try {
      valid = (this.options.verify ?? ed25519.verify)(signature, message, signer)
    } catch {
      valid = false // a malformed key or signature is simply not valid
    }
    if (!valid) throw refuse('bad_signature')
    this.manifest = manifest
    await this.handlers.onManifest?.(manifest)
    this.entriesLeft = manifest.entries.bytes
    this.phase = 'entries'
    if (this.entriesLeft === 0) await this.endEntries()
  }

  private async entries(bytes: Uint8Array): Promise<number> {
    const n = Math.min(bytes.length, this.entriesLeft)
    const piece = bytes.subarray(0, n)
    this.entryHash.update(piece)
    this.entriesLeft -= n
    try {
      this.text += this.textDecoder.decode(piece, { stream: this.entriesLeft > 0 })
    } catch {
      throw refuse('damaged', 'entries')
    }
    let newline = this.text.indexOf('\n')
    while (newline >= 0) {
      await this.entry(this.text.slice(0, newline))
      this.text = this.text.slice(newline + 1)
      newline = this.text.indexOf('\n')
    }
    if (this.text.length > maxEntryBytes) throw refuse('damaged', 'entry too long')
    if (this.entriesLeft === 0) await this.endEntries()
    return n
  }

  private async entry(line: string): Promise<void> {
    let parsed: unknown
    try {
      parsed = JSON.parse(line)
    } catch {
      throw refuse('damaged', 'entry')
    }
    const result = packageEntrySchema.safeParse(parsed)
    if (!result.success) throw refuse('damaged', 'entry')
    this.lines++
    await this.handlers.onEntry?.(result.data)
  }

  private async endEntries(): Promise<void> {
    const manifest = this.manifest
    if (!manifest) throw refuse('damaged')
    if (this.text !== '' || this.lines !== manifest.entries.lines || toHex(this.entryHash.digest()) !== manifest.entries.sha256)
      throw refuse('damaged', 'entries do not match the manifest')
    this.phase = 'attachments'
    this.attachmentIndex = 0
    await this.nextAttachment()
  }

  private async nextAttachment(): Promise<void> {
    const manifest = this.manifest
    if (!manifest) throw refuse('damaged')
    // Empty files have no bytes to wait for: close them at once.
    for (;;) {
      const next = manifest.attachments[this.attachmentIndex]
      if (!next) {
        this.phase = 'done'
        return
      }
      this.attachmentLeft = next.size
      this.attachmentHash = this.hash()
      if (next.size > 0) return
      await this.endAttachment(next)
    }
  }

  private async endAttachment(attachment: PackageAttachment): Promise<void> {
    if (toHex(this.attachmentHash.digest()) !== attachment.sha256)
      throw refuse('damaged', `attachment ${attachment.sha256.slice(0, 12)}…`)
    await this.handlers.onAttachmentEnd?.(attachment, this.attachmentIndex)
    this.attachmentIndex++
  }

  private async attachment(bytes: Uint8Array): Promise<number> {
    const attachment = this.manifest?.attachments[this.attachmentIndex]
    if (!attachment) throw refuse('damaged')
    const n = Math.min(bytes.length, this.attachmentLeft)
    const piece = bytes.subarray(0, n)
    this.attachmentHash.update(piece)
    this.attachmentLeft -= n
    await this.handlers.onAttachmentData?.(attachment, piece)
    if (this.attachmentLeft === 0) {
      await this.endAttachment(attachment)
      await this.nextAttachment()
    }
    return n
  }
}

/**
 * Decrypts and checks a package as it streams: header, key, every chunk, the manifest and its
 * signature (through `trust`), the entries' hash and count, every attachment's sha256 and the
 * exact end. Handlers see data before the end is checked: a caller that applies must do so only
 * after this resolves (first pass) or inside a transaction that this rejection rolls back.
 */
export async function readPackage(
  source: AsyncIterable<Uint8Array>,
  options: ReadPackageOptions,
  handlers: PackageHandlers = {},
): Promise<PackageManifest> {
  const hash = options.createHash ?? pureSha256
  const payload = new PayloadReader(options, handlers, hash)
  let header = new Uint8Array(0)
  let opener: StreamOpener | null = null
  let fileBytes = 0
  let expectedSize = Infinity
  // The header's length is bound into the key: a file shorter than it says was cut, anything else that fails was changed.
  const explain = (error: unknown): unknown =>
    error instanceof StreamAuthError ? refuse(error.last && fileBytes < expectedSize ? 'truncated' : 'damaged') : error
  try {
    for await (const piece of source) {
      fileBytes += piece.length
      let bytes = piece
      if (!opener) {
        const joined = new Uint8Array(header.length + bytes.length)
        joined.set(header, 0)
        joined.set(bytes, header.length)
        if (joined.length < headerLayout.size) {
          header = joined
          continue
        }
        header = joined.slice(0, headerLayout.size)
        bytes = joined.subarray(headerLayout.size)
        const parsed = parseHeader(header, options)
        expectedSize = encryptedSize(parsed.payloadLength, parsed.chunkSize)
        const key = await deriveStreamKey(
          options.ecdh ? safeEcdh(options.ecdh, options.secretKey, parsed.ephemeral) : sharedSecret(options.secretKey, parsed.ephemeral),
          parsed.ephemeral,
          options.publicKey,
          header,
        )
        opener = new StreamOpener(key, parsed.chunkSize)
      }
      for (const plain of await opener.push(bytes)) await payload.feed(plain)
    }
    if (!opener) {
      parseHeader(header, options) // refuses: too short, or not a package at all
      throw refuse('truncated')
    }
    await payload.feed(await opener.finish())
  } catch (error) {
    throw explain(error)
  }
  if (payload.phase !== 'done' || !payload.manifest) throw refuse('truncated')
  return payload.manifest
}
