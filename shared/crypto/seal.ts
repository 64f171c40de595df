import { chacha20poly1305 } from '@noble/ciphers/chacha.js'
import { x25519 } from '@noble/curves/ed25519.js'
import { hkdf } from '@noble/hashes/hkdf.js'
import { sha256 } from '@noble/hashes/sha2.js'
import { AppFailure } from '../errors'

/**
 * Sealed boxes for small secrets (a data key for recovery): anyone with the recipient's X25519
 * public key can seal; only the holder of its private key can open. The construction is the one
 * libsodium's crypto_box_seal and HPKE's base mode share: a fresh ephemeral X25519 key per box,
 * its shared secret through HKDF-SHA256 (salted with both public keys, bound to `info`), then
 * ChaCha20-Poly1305. The key is used once, so the nonce is fixed.
 *
 * Layout (base64): version 0x01 | ephemeral public key (32) | ciphertext | tag (16).
 */
const version = 0x01
const nonce = new Uint8Array(12)
const encoder = new TextEncoder()

export type X25519KeyPair = { publicKey: Uint8Array; privateKey: Uint8Array }

export function generateX25519(): X25519KeyPair {
  const privateKey = x25519.utils.randomSecretKey()
  return { privateKey, publicKey: x25519.getPublicKey(privateKey) }
}

export function x25519PublicKey(privateKey: Uint8Array): Uint8Array {
  return x25519.getPublicKey(privateKey)
}

function boxKey(shared: Uint8Array, ephemeral: Uint8Array, recipient: Uint8Array, info: string): Uint8Array {
  const salt = new Uint8Array(64)
  salt.set(ephemeral, 0)
  salt.set(recipient, 32)
  return hkdf(sha256, shared, salt, encoder.encode(`outpost-seal-v1:${info}`), 32)
}

export function sealTo(recipientPublicKeyB64: string, plaintext: Uint8Array, info: string): string {
  const recipient = fromBase64(recipientPublicKeyB64)
  if (recipient.length !== 32) throw new AppFailure('validation', 'The recipient key is not an X25519 public key.')
  const ephemeral = generateX25519()
  const key = boxKey(x25519.getSharedSecret(ephemeral.privateKey, recipient), ephemeral.publicKey, recipient, info)
  const box = chacha20poly1305(key, nonce).encrypt(plaintext)
  const out = new Uint8Array(1 + 32 + box.length)
  out[0] = version
  out.set(ephemeral.publicKey, 1)
  out.set(box, 33)
  return toBase64(out)
}

/** Opens a sealed box; a wrong key, another `info` or any changed byte is refused, never guessed. */
export function openSealed(privateKey: Uint8Array, sealed: string, info: string): Uint8Array {
  const bytes = fromBase64(sealed.replace(/\s+/g, ''))
  if (bytes.length < 1 + 32 + 16 || bytes[0] !== version) {
    throw new AppFailure('validation', 'This sealed key is not in a format Outpost knows (was it copied whole?).')
  }
  const ephemeral = bytes.subarray(1, 33)
  const recipient = x25519.getPublicKey(privateKey)
  try {
    const key = boxKey(x25519.getSharedSecret(privateKey, ephemeral), ephemeral, recipient, info)
    return chacha20poly1305(key, nonce).decrypt(bytes.subarray(33))
  } catch {
    throw new AppFailure('validation', 'This sealed key was not made for this registry and device, or it was changed on the way.')
  }
}

export function toBase64(bytes: Uint8Array): string {
  let text = ''
  for (const byte of bytes) text += String.fromCharCode(byte)
  return btoa(text)
}

export function fromBase64(text: string): Uint8Array {
  let binary: string
  try {
    binary = atob(text)
  } catch {
    return new Uint8Array(0)
  }
  const out = new Uint8Array(binary.length)
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i)
  return out
}

const base32Alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'

/** RFC 4648 base32 without padding, in groups of four: how a recovery key is read out over the phone. */
export function formatRecoveryKey(key: Uint8Array): string {
  let bits = 0
  let value = 0
  let out = ''
  for (const byte of key) {
    value = (value << 8) | byte
    bits += 8
    while (bits >= 5) {
      out += base32Alphabet[(value >>> (bits - 5)) & 31]
      bits -= 5
    }
  }
  if (bits > 0) out += base32Alphabet[(value << (5 - bits)) & 31]
  return out.match(/.{1,4}/g)?.join('-') ?? ''
}

/** Reads a recovery key as typed: any case, spaces and dashes ignored; null when it is not one. */
export function parseRecoveryKey(text: string, length = 32): Uint8Array | null {
  const clean = text.toUpperCase().replace(/[\s-]+/g, '')
  if (clean.length !== Math.ceil((length * 8) / 5)) return null
  const out = new Uint8Array(length)
  let bits = 0
  let value = 0
  let index = 0
  for (const char of clean) {
    const digit = base32Alphabet.indexOf(char)
    if (digit < 0) return null
    value = ((value << 5) | digit) & 0xffff
    bits += 5
    if (bits >= 8) {
      if (index < length) out[index++] = (value >>> (bits - 8)) & 0xff
      bits -= 8
    }
  }
  return index === length ? out : null
}
