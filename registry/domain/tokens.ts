import { createHash, randomBytes, randomInt } from 'node:crypto'

/** Bearer tokens: 32 random bytes. Only their sha256 is ever stored. */
export function newToken(prefix: 'odt' | 'ohs'): string {
  return `${prefix}_${randomBytes(32).toString('base64url')}`
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex')
}

// Crockford base32 without I, L, O, U: codes are read aloud and typed from paper.
const codeAlphabet = '0123456789ABCDEFGHJKMNPQRSTVWXYZ'

/** An enrollment code of 15 symbols (75 bits) in groups of five, e.g. `7KQ2M-0ZX4B-R9TWD`. */
export function newEnrollmentCode(): string {
  const symbols = Array.from({ length: 15 }, () => codeAlphabet[randomInt(codeAlphabet.length)])
  return [0, 5, 10].map((start) => symbols.slice(start, start + 5).join('')).join('-')
}

/** Accepts what a person types: any case, spaces or no dashes, O for 0 and I/L for 1. */
export function normalizeEnrollmentCode(code: string): string {
  const plain = code.toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1')
  return [0, 5, 10]
    .map((start) => plain.slice(start, start + 5))
    .filter(Boolean)
    .join('-')
}
