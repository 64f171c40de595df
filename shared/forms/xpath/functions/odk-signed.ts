import { ed25519 } from '@noble/curves/ed25519.js'
import { argString, fn, type FunctionTable } from './helpers'
import { fromBase64 } from './odk-crypto'

const SIGNATURE_BYTES = 64
const PUBLIC_KEY_BYTES = 32

/**
 * extract-signed(signed, publicKey): both base64. `signed` is a libsodium combined message (the
 * 64-byte Ed25519 signature, then the message); the message comes back as UTF-8 text when the
 * signature verifies under the key, and '' otherwise, never an error, so a scanned QR code that
 * is not genuine simply reads as blank.
 */
const extractSigned = (signedText: string, keyText: string): string => {
  const signed = fromBase64(signedText)
  const key = fromBase64(keyText)
  if (
    signed === null ||
    key === null ||
    key.length !== PUBLIC_KEY_BYTES ||
    signed.length < SIGNATURE_BYTES
  )
    return ''
  const signature = signed.subarray(0, SIGNATURE_BYTES)
  const message = signed.subarray(SIGNATURE_BYTES)
  try {
    // Strict RFC 8032 checks, as JavaRosa's Bouncy Castle verifier makes.
    if (!ed25519.verify(signature, message, key, { zip215: false })) return ''
  } catch {
    // A malformed key or signature is "not verified", like a wrong one.
    return ''
  }
  return new TextDecoder('utf-8').decode(message)
}

export const signedFunctions: FunctionTable = {
  'extract-signed': fn(2, 2, (args, f) =>
    extractSigned(argString(args, 0, f), argString(args, 1, f)),
  ),
}
