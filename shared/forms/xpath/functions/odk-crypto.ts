import { md5, sha1 } from '@noble/hashes/legacy.js'
import { sha256, sha384, sha512 } from '@noble/hashes/sha2.js'
import { XPathEvaluationError } from '../errors'
import { argNumber, argString, fn, type FunctionTable } from './helpers'

const HASHES: Readonly<Record<string, (data: Uint8Array) => Uint8Array>> = {
  MD5: md5,
  'SHA-1': sha1,
  'SHA-256': sha256,
  'SHA-384': sha384,
  'SHA-512': sha512,
}

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'

const toBase64 = (bytes: Uint8Array): string => {
  let out = ''
  for (let i = 0; i < bytes.length; i += 3) {
    const [a = 0, b = 0, c = 0] = [bytes[i], bytes[i + 1], bytes[i + 2]]
    const triple = (a << 16) | (b << 8) | c
    out += BASE64.charAt(triple >> 18) + BASE64.charAt((triple >> 12) & 63)
    out += i + 1 < bytes.length ? BASE64.charAt((triple >> 6) & 63) : '='
    out += i + 2 < bytes.length ? BASE64.charAt(triple & 63) : '='
  }
  return out
}

const toHex = (bytes: Uint8Array): string =>
  Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')

/** Null for text that is not base64, so base64-decode() can give '' as ODK does. */
export const fromBase64 = (text: string): Uint8Array | null => {
  const clean = text.replace(/[ \t\r\n]/g, '')
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(clean) || clean.length % 4 === 1) return null
  const bytes: number[] = []
  let buffer = 0
  let bits = 0
  for (const char of clean.replace(/=+$/, '')) {
    buffer = (buffer << 6) | BASE64.indexOf(char)
    bits += 6
    if (bits >= 8) {
      bits -= 8
      bytes.push((buffer >> bits) & 255)
    }
  }
  return Uint8Array.from(bytes)
}

const ALPHANUMERIC = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz'

/** RFC 4122 version 4 from the injected random source, so tests can fix it. */
const uuid4 = (random: () => number): string => {
  const hex = Array.from({ length: 32 }, () => Math.floor(random() * 16))
  hex[12] = 4
  hex[16] = ((hex[16] ?? 0) & 3) | 8
  const text = hex.map((n) => n.toString(16)).join('')
  return `${text.slice(0, 8)}-${text.slice(8, 12)}-${text.slice(12, 16)}-${text.slice(16, 20)}-${text.slice(20)}`
}

export const cryptoFunctions: FunctionTable = {
  digest: fn(2, 3, (args, f) => {
    const algorithm = argString(args, 1, f)
    const hash = HASHES[algorithm]
    if (hash === undefined) {
      throw new XPathEvaluationError(
        `digest() knows MD5, SHA-1, SHA-256, SHA-384 and SHA-512, not "${algorithm}"`,
      )
    }
    const encoding = args.length > 2 ? argString(args, 2, f) : 'base64'
    if (encoding !== 'base64' && encoding !== 'hex') {
      throw new XPathEvaluationError(`digest() encodes as base64 or hex, not "${encoding}"`)
    }
    const bytes = hash(new TextEncoder().encode(argString(args, 0, f)))
    return encoding === 'hex' ? toHex(bytes) : toBase64(bytes)
  }),
  'base64-decode': fn(1, 1, (args, f) => {
    const bytes = fromBase64(argString(args, 0, f))
    if (bytes === null) return ''
    return new TextDecoder('utf-8').decode(bytes)
  }),
  uuid: fn(0, 1, (args, f) => {
    if (args.length === 0) return uuid4(f.env.random)
    const length = argNumber(args, 0, f)
    if (!Number.isFinite(length) || length < 0) return ''
    let out = ''
    for (let i = 0; i < Math.trunc(length); i += 1)
      out += ALPHANUMERIC.charAt(Math.floor(f.env.random() * 62))
    return out
  }),
}
