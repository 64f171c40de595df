import { readFileSync } from 'node:fs'
import { homedir } from 'node:os'
import { join, resolve } from 'node:path'
import { createCore, type CoreOptions } from '../app-core'
import { startBridge } from './server'

/**
 * Runs the real core behind the browser bridge: `npm start` falls back to this where the Electron
 * binary is absent, and the e2e tests use the same entry. Data goes to OUTPOST_DATA_DIR, or
 * ~/.outpost-browser so it never mixes with a packaged app's database.
 */
export async function serveInBrowser(
  repoRoot: string,
  env: NodeJS.ProcessEnv = process.env,
  /** Tests stand in for the desktop's file dialog with this. */
  extra: Pick<CoreOptions, 'chooseFile'> = {},
) {
  const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { version: string }
  const core = await createCore({
    dataDir: resolve(env.OUTPOST_DATA_DIR ?? join(homedir(), '.outpost-browser')),
    migrationsDir: join(repoRoot, 'migrations'),
    version: pkg.version,
    shell: 'browser',
    ...extra,
  })
  const bridge = await startBridge({
    dispatch: core.dispatch,
    events: core.events,
    staticDir: join(repoRoot, 'out', 'renderer'),
    port: env.OUTPOST_PORT ? Number(env.OUTPOST_PORT) : 0,
  })
  return {
    core,
    bridge,
    close: async () => {
      await bridge.close()
      await core.close()
    },
  }
}
