import { createCore, type Core } from '../../electron/core/app-core'
import type { Logger } from '../../electron/core/dispatch'
import { makeTempDir, migrationsDir } from './paths'

export type TestCore = Core & { dataDir: string; logged: unknown[]; dispose: () => Promise<void> }

/** A real core over a real SQLite file in a temporary folder. */
export async function makeCore(): Promise<TestCore> {
  const temp = makeTempDir()
  const logged: unknown[] = []
  const log: Logger = { error: (message, detail) => logged.push({ message, detail }) }
  const core = await createCore({ dataDir: temp.dir, migrationsDir, version: '0.0.0-test', shell: 'browser', log })
  return {
    ...core,
    dataDir: temp.dir,
    logged,
    dispose: async () => {
      await core.close()
      temp.cleanup()
    },
  }
}
