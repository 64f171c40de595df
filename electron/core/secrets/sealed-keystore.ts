import { chmod, mkdir, readFile, rename, writeFile } from 'node:fs/promises'
import { dirname } from 'node:path'
import { z } from 'zod'
import { AppFailure } from '../../../shared/errors'
import type { DeviceSecrets, KeyStore } from '../sync/keystore'

/** What Electron's safeStorage offers (the OS keychain: DPAPI, Keychain, libsecret/kwallet). */
export type StringCipher = {
  isEncryptionAvailable: () => boolean
  encryptString: (text: string) => Buffer
  decryptString: (data: Buffer) => string
}

const sealedSchema: z.ZodType<DeviceSecrets> = z.object({ privateKeyPem: z.string(), publicKey: z.string(), token: z.string() })

/**
 * The device's private key and registry token, encrypted by the OS keychain before they touch
 * the disk, in a file only the owner can read. Without a usable keychain nothing is written: a
 * plain key on a laptop that can be stolen is worse than a clear refusal.
 */
export function sealedFileKeyStore(file: string, cipher: StringCipher): KeyStore {
  return {
    load: async () => {
      let sealed: Buffer
      try {
        sealed = await readFile(file)
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null // not enrolled yet
        throw error
      }
      if (!cipher.isEncryptionAvailable()) {
        throw new AppFailure('unavailable', 'The keychain of this computer is locked or missing, so the device key cannot be opened. Log in to the computer again, then retry.')
      }
      return sealedSchema.parse(JSON.parse(cipher.decryptString(sealed)))
    },
    save: async (secrets) => {
      if (!cipher.isEncryptionAvailable()) {
        throw new AppFailure('unavailable', 'This computer has no keychain Outpost can use to protect the device key, so the laptop was not enrolled. Ask your IT focal point to enable the system keyring.')
      }
      await mkdir(dirname(file), { recursive: true })
      const temp = `${file}.tmp`
      await writeFile(temp, cipher.encryptString(JSON.stringify(secrets)), { mode: 0o600 })
      await chmod(temp, 0o600)
      await rename(temp, file)
    },
  }
}
