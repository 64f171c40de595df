import { chmod, mkdir, readFile, rename, writeFile } from 'node:fs/promises'
import { dirname } from 'node:path'
import { z } from 'zod'

/** What only this laptop may know: its Ed25519 private key and its registry token. */
const secretsSchema = z.object({
  privateKeyPem: z.string(),
  publicKey: z.string(),
  token: z.string(),
})
export type DeviceSecrets = z.infer<typeof secretsSchema>

/**
 * Where the secrets live. The Electron app passes one backed by safeStorage (the OS keychain);
 * tests and the browser bridge use a file only its owner can read.
 */
export type KeyStore = {
  load: () => Promise<DeviceSecrets | null>
  save: (secrets: DeviceSecrets) => Promise<void>
}

export function fileKeyStore(file: string): KeyStore {
  return {
    load: async () => {
      try {
        return secretsSchema.parse(JSON.parse(await readFile(file, 'utf8')))
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null // not enrolled yet
        throw error
      }
    },
    save: async (secrets) => {
      await mkdir(dirname(file), { recursive: true })
      const temp = `${file}.tmp`
      await writeFile(temp, JSON.stringify(secrets), { mode: 0o600 })
      await chmod(temp, 0o600)
      await rename(temp, file)
    },
  }
}
