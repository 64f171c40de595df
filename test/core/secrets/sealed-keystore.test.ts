import { readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { sealedFileKeyStore, type StringCipher } from '../../../electron/core/secrets/sealed-keystore'
import { makeTempDir } from '../../helpers/paths'

/** A stand-in for safeStorage: reversible, and leaves no plaintext in what it returns. */
function fakeKeychain(available = true): StringCipher {
  return {
    isEncryptionAvailable: () => available,
    encryptString: (text) => Buffer.from(Buffer.from(text, 'utf8').map((byte) => byte ^ 0x5a)),
    decryptString: (data) => Buffer.from(data.map((byte) => byte ^ 0x5a)).toString('utf8'),
  }
}

const secrets = { privateKeyPem: '-----BEGIN PRIVATE KEY-----\nMC4CAQ…', publicKey: 'pub', token: 'device-token-123' }
const temps: Array<() => void> = []
afterEach(() => temps.splice(0).forEach((cleanup) => cleanup()))

describe('the sealed device key store', () => {
  it('writes the secrets encrypted by the keychain, readable by the owner only, and reads them back', async () => {
    const temp = makeTempDir()
    temps.push(temp.cleanup)
    const file = join(temp.dir, 'keys', 'device-key.sealed')
    const store = sealedFileKeyStore(file, fakeKeychain())
    await expect(store.load()).resolves.toBeNull()
    await store.save(secrets)
    const bytes = readFileSync(file)
    expect(bytes.includes(Buffer.from('device-token-123'))).toBe(false)
    expect(bytes.includes(Buffer.from('PRIVATE KEY'))).toBe(false)
    expect(statSync(file).mode & 0o777).toBe(0o600)
    await expect(store.load()).resolves.toEqual(secrets)
  })

  it('refuses to write a key when the computer has no keychain, and writes nothing', async () => {
    const temp = makeTempDir()
    temps.push(temp.cleanup)
    const file = join(temp.dir, 'device-key.sealed')
    await expect(sealedFileKeyStore(file, fakeKeychain(false)).save(secrets)).rejects.toMatchObject({ code: 'unavailable' })
    expect(() => statSync(file)).toThrow()
  })
})
