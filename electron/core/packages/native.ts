import { createPrivateKey, createPublicKey, diffieHellman, verify } from 'node:crypto'
import type { ReadPackageOptions } from '../../../shared/packages/reader'

const b64url = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64url')

/** X25519 and Ed25519 through Node's crypto for the package reader (the pure fallbacks are ~20× slower). */
export const nativePrimitives: Required<Pick<ReadPackageOptions, 'ecdh' | 'verify'>> = {
  ecdh: (secretKey, publicKey) =>
    new Uint8Array(
      diffieHellman({
        privateKey: createPrivateKey({
          key: { kty: 'OKP', crv: 'X25519', d: b64url(secretKey), x: b64url(x25519Public(secretKey)) },
          format: 'jwk',
        }),
        publicKey: createPublicKey({ key: { kty: 'OKP', crv: 'X25519', x: b64url(publicKey) }, format: 'jwk' }),
      }),
    ),
  verify: (signature, message, publicKey) =>
    verify(null, message, createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: b64url(publicKey) }, format: 'jwk' }), signature),
}

/** The X25519 public key of a secret, natively. */
export function x25519Public(secretKey: Uint8Array): Uint8Array {
  const key = createPrivateKey({ key: { kty: 'OKP', crv: 'X25519', d: b64url(secretKey), x: '' }, format: 'jwk' })
  return new Uint8Array(Buffer.from(createPublicKey(key).export({ format: 'jwk' }).x ?? '', 'base64url'))
}
