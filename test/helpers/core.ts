import { createCore, type Core, type CoreOptions } from '../../electron/core/app-core'
import type { KdfParams } from '../../electron/core/auth/keyring'
import type { Logger } from '../../electron/core/dispatch'
import { makeTempDir, migrationsDir } from './paths'

export type TestCore = Core & { dataDir: string; logged: unknown[]; dispose: () => Promise<void> }

/** Cheap Argon2id for tests (the app uses 64 MiB × 3); the wraps still go through the real KDF. */
export const testKdf: KdfParams = { algorithm: 'argon2id', memoryKiB: 256, iterations: 1, parallelism: 1 }

/** The supervisor makeCore() sets up and signs in. */
export const testSupervisor = {
  officeName: 'Gulu field office',
  username: 'sam',
  displayName: 'Sam Supervisor',
  password: 'correct horse battery staple',
} as const

export type MakeCoreOptions = {
  /** 'supervisor' (default): set up and signed in; 'none': a fresh laptop showing first-run setup. */
  auth?: 'supervisor' | 'none'
  /** An existing data folder (a restart); it is not removed by dispose. */
  dataDir?: string
} & Partial<Pick<CoreOptions, 'now' | 'keychain' | 'kdf' | 'chooseFile'>>

/** A real core over a real (encrypted) SQLite file in a temporary folder. */
export async function makeCore(options: MakeCoreOptions = {}): Promise<TestCore> {
  const temp = options.dataDir ? { dir: options.dataDir, cleanup: () => {} } : makeTempDir()
  const logged: unknown[] = []
  const log: Logger = { error: (message, detail) => logged.push({ message, detail }) }
  const core = await createCore({
    dataDir: temp.dir,
    migrationsDir,
    version: '0.0.0-test',
    shell: 'browser',
    log,
    kdf: options.kdf ?? testKdf,
    ...(options.now ? { now: options.now } : {}),
    ...(options.keychain ? { keychain: options.keychain } : {}),
    ...(options.chooseFile ? { chooseFile: options.chooseFile } : {}),
  })
  if ((options.auth ?? 'supervisor') === 'supervisor' && !core.auth.status().setupDone) {
    await core.auth.setup({ ...testSupervisor })
  }
  // The core's store and device are getters (open only after sign-in); a spread of the test
  // core reads them at that moment, as before.
  const test = {
    auth: core.auth,
    events: core.events,
    handlers: core.handlers,
    dispatch: core.dispatch,
    close: core.close,
    dataDir: temp.dir,
    logged,
    dispose: async () => {
      await core.close()
      temp.cleanup()
    },
  }
  Object.defineProperty(test, 'store', { get: () => core.store, enumerable: true })
  Object.defineProperty(test, 'device', { get: () => core.device, enumerable: true })
  return test as TestCore
}
