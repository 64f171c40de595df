import { x25519 } from '@noble/curves/ed25519.js'
import { hkdf } from '@noble/hashes/hkdf.js'
import { sha256 } from '@noble/hashes/sha2.js'
import { aeadTagBytes, headerLayout, keyContext } from './format'

/**
 * The STREAM construction (Hoang, Reyhanitabar, Rogaway, Vizár 2015), as age uses it: the payload
 * is cut into chunks of a fixed plaintext size, each sealed with AES-256-GCM under one key with
 * the nonce = 88-bit chunk counter || 1 byte "last chunk" flag. Reordered, dropped, repeated or
 * appended chunks fail to open, and so does a file cut at a chunk boundary (its new last chunk
 * was not sealed as last). The key is fresh per package: X25519 between a one-time key and the
 * recipient, through HKDF-SHA256 bound to both public keys and to the header.
 *
 * AES-GCM runs through WebCrypto (native in Node and in browsers), so this file stays pure.
 */
const subtle = globalThis.crypto.subtle
const encoder = new TextEncoder()

export class StreamAuthError extends Error {
  constructor(
    readonly chunk: number,
    readonly last: boolean,
  ) {
    super(`chunk ${chunk} failed to open`)
  }
}

export function recipientTag(recipientPublicKey: Uint8Array): Uint8Array {
  return sha256(recipientPublicKey).subarray(0, 16)
}

function isAllZero(bytes: Uint8Array): boolean {
  let acc = 0
  for (const byte of bytes) acc |= byte
  return acc === 0
}

/** HKDF-SHA256(X25519 shared secret; salt = ephemeral || recipient; info = context || header). */
export async function deriveStreamKey(
  shared: Uint8Array,
  ephemeralPublic: Uint8Array,
  recipientPublic: Uint8Array,
  header: Uint8Array,
): Promise<CryptoKey> {
  // A low-order peer key yields an all-zero secret: refuse rather than encrypt under a known key.
  if (isAllZero(shared)) throw new StreamAuthError(0, false)
  const salt = new Uint8Array(64)
  salt.set(ephemeralPublic, 0)
  salt.set(recipientPublic, 32)
  const context = encoder.encode(keyContext)
  const info = new Uint8Array(context.length + headerLayout.ephemeralKey)
  info.set(context, 0)
  info.set(header.subarray(0, headerLayout.ephemeralKey), context.length)
  const raw = hkdf(sha256, shared, salt, info, 32)
  return subtle.importKey('raw', raw, 'AES-GCM', false, ['encrypt', 'decrypt'])
}

export function newEphemeral(): { secretKey: Uint8Array; publicKey: Uint8Array } {
  const secretKey = x25519.utils.randomSecretKey()
  return { secretKey, publicKey: x25519.getPublicKey(secretKey) }
}

export function sharedSecret(secretKey: Uint8Array, publicKey: Uint8Array): Uint8Array {
  try {
    return x25519.getSharedSecret(secretKey, publicKey)
  } catch {
    return new Uint8Array(32) // an invalid point: refused as all-zero by deriveStreamKey
  }
}

function nonce(counter: number, last: boolean): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(12)
  const view = new DataView(bytes.buffer)
  // 88-bit counter, big-endian; 2^53 chunks is far beyond any file, so the top bytes stay zero.
  view.setUint32(3, Math.floor(counter / 2 ** 32))
  view.setUint32(7, counter >>> 0)
  bytes[11] = last ? 1 : 0
  return bytes
}

/** Bytes pushed in pieces of any size, taken back out in pieces of the size the stream needs. */
class ByteQueue {
  private pieces: Uint8Array[] = []
  bytes = 0

  push(piece: Uint8Array): void {
    this.pieces.push(piece)
    this.bytes += piece.length
  }

  take(size: number): Uint8Array<ArrayBuffer> {
    const out = new Uint8Array(size)
    let offset = 0
    while (offset < size) {
      const head = this.pieces[0]
      if (!head) break
      const n = Math.min(head.length, size - offset)
      out.set(head.subarray(0, n), offset)
      offset += n
      if (n === head.length) this.pieces.shift()
      else this.pieces[0] = head.subarray(n)
    }
    this.bytes -= size
    return out
  }
}

/** Seals plaintext pushed in any pieces into chunks; holds one full chunk back until it knows it is not the last. */
export class StreamSealer {
  private readonly pending = new ByteQueue()
  private counter = 0

  constructor(
    private readonly key: CryptoKey,
    private readonly chunkSize: number,
  ) {}

  private async seal(plain: Uint8Array<ArrayBuffer>, last: boolean): Promise<Uint8Array> {
    const iv = nonce(this.counter++, last)
    return new Uint8Array(await subtle.encrypt({ name: 'AES-GCM', iv }, this.key, plain))
  }

  async push(plain: Uint8Array): Promise<Uint8Array[]> {
    if (plain.length > 0) {
      this.pending.push(plain.slice())
    }
    const out: Uint8Array[] = []
    while (this.pending.bytes > this.chunkSize) out.push(await this.seal(this.pending.take(this.chunkSize), false))
    return out
  }

  async finish(): Promise<Uint8Array> {
    return this.seal(this.pending.take(this.pending.bytes), true)
  }
}

/** Opens ciphertext pushed in any pieces; a chunk is opened as "not last" only once more bytes follow it. */
export class StreamOpener {
  private readonly pending = new ByteQueue()
  private counter = 0
  private readonly sealedSize: number

  constructor(
    private readonly key: CryptoKey,
    chunkSize: number,
  ) {
    this.sealedSize = chunkSize + aeadTagBytes
  }

  get chunksOpened(): number {
    return this.counter
  }

  private async open(sealed: Uint8Array<ArrayBuffer>, last: boolean): Promise<Uint8Array> {
    const counter = this.counter++
    try {
      return new Uint8Array(
        await subtle.decrypt({ name: 'AES-GCM', iv: nonce(counter, last) }, this.key, sealed),
      )
    } catch {
      throw new StreamAuthError(counter, last)
    }
  }

  async push(sealed: Uint8Array): Promise<Uint8Array[]> {
    if (sealed.length > 0) {
      this.pending.push(sealed)
    }
    const out: Uint8Array[] = []
    while (this.pending.bytes > this.sealedSize) out.push(await this.open(this.pending.take(this.sealedSize), false))
    return out
  }

  /** Opens the final chunk; it must have been sealed as the last one. */
  async finish(): Promise<Uint8Array> {
    if (this.pending.bytes < aeadTagBytes) throw new StreamAuthError(this.counter, true)
    return this.open(this.pending.take(this.pending.bytes), true)
  }
}
