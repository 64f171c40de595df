import { describe, expect, it } from 'vitest'
import {
  formatRecoveryKey,
  fromBase64,
  generateX25519,
  openSealed,
  parseRecoveryKey,
  sealTo,
  toBase64,
} from '../../shared/crypto/seal'

const secret = new Uint8Array(32).map((_, i) => (i * 37 + 11) & 0xff)

describe('sealed boxes', () => {
  it('opens with the recipient key and the same info only', () => {
    const hq = generateX25519()
    const sealed = sealTo(toBase64(hq.publicKey), secret, 'outpost-recovery:dev-1')
    expect(openSealed(hq.privateKey, sealed, 'outpost-recovery:dev-1')).toEqual(secret)
    expect(() => openSealed(hq.privateKey, sealed, 'outpost-recovery:dev-2')).toThrow(/not made for this registry/)
    expect(() => openSealed(generateX25519().privateKey, sealed, 'outpost-recovery:dev-1')).toThrow(/not made for/)
  })

  it('never seals the same secret to the same bytes twice and hides it', () => {
    const hq = generateX25519()
    const a = sealTo(toBase64(hq.publicKey), secret, 'x')
    const b = sealTo(toBase64(hq.publicKey), secret, 'x')
    expect(a).not.toBe(b)
    expect(Buffer.from(fromBase64(a)).includes(Buffer.from(secret))).toBe(false)
  })

  it('refuses any flipped byte and a truncated box', () => {
    const hq = generateX25519()
    const bytes = fromBase64(sealTo(toBase64(hq.publicKey), secret, 'x'))
    for (let i = 0; i < bytes.length; i++) {
      const copy = bytes.slice()
      copy[i] = (copy[i] ?? 0) ^ 0x01
      expect(() => openSealed(hq.privateKey, toBase64(copy), 'x')).toThrow()
    }
    expect(() => openSealed(hq.privateKey, toBase64(bytes.subarray(0, 40)), 'x')).toThrow(/format Outpost knows/)
  })

  it('refuses a recipient key that is not 32 bytes', () => {
    expect(() => sealTo(toBase64(new Uint8Array(31)), secret, 'x')).toThrow(/not an X25519/)
  })
})

describe('recovery keys', () => {
  it('round-trips through the readable form, ignoring case, spaces and dashes', () => {
    const text = formatRecoveryKey(secret)
    expect(text).toMatch(/^([A-Z2-7]{4}-){12}[A-Z2-7]{4}$/)
    expect(parseRecoveryKey(text)).toEqual(secret)
    expect(parseRecoveryKey(text.toLowerCase().replaceAll('-', ' '))).toEqual(secret)
  })

  it('refuses a key with a wrong length or letter', () => {
    const text = formatRecoveryKey(secret)
    expect(parseRecoveryKey(text.slice(0, -1))).toBeNull()
    expect(parseRecoveryKey(`${text.slice(0, -1)}1`)).toBeNull()
  })
})
