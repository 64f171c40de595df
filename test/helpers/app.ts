import type { Page } from 'playwright-core'
import type { CoreOptions } from '../../electron/core/app-core'
import { serveInBrowser } from '../../electron/core/bridge/serve'
import { launchChromium } from './chromium'
import { testSupervisor } from './core'
import { makeTempDir, repoRoot } from './paths'

export type AppUnderTest = {
  served: Awaited<ReturnType<typeof serveInBrowser>>
  page: Page
  /** The core's data folder (a temporary folder removed by close). */
  dataDir: string
  /** Console messages that are Content-Security-Policy violations (must stay empty). */
  cspViolations: string[]
  close: () => Promise<void>
}

export type OpenAppOptions = {
  /** 'supervisor' (default): set up with testSupervisor and signed in, home screen open; 'none': first-run setup. */
  auth?: 'supervisor' | 'none'
  /** Stands in for the desktop app's Save/Open dialog (the browser build has none). */
  chooseFile?: CoreOptions['chooseFile']
}

/**
 * The real app for an e2e test: a core over a fresh data folder behind the loopback bridge, and
 * headless Chromium with the home screen open (or the first-run setup with `auth: 'none'`).
 */
export async function openApp(prefix: string, options: OpenAppOptions = {}): Promise<AppUnderTest> {
  const data = makeTempDir(prefix)
  const served = await serveInBrowser(repoRoot, { OUTPOST_DATA_DIR: data.dir }, options.chooseFile ? { chooseFile: options.chooseFile } : {})
  if ((options.auth ?? 'supervisor') === 'supervisor') await served.core.auth.setup({ ...testSupervisor })
  const chromium = await launchChromium()
  const page = await chromium.context.newPage()
  const cspViolations: string[] = []
  page.on('console', (message) => {
    if (/Content.Security.Policy/i.test(message.text())) cspViolations.push(message.text())
  })
  await page.goto(served.bridge.url)
  if ((options.auth ?? 'supervisor') === 'supervisor') await page.getByRole('heading', { name: 'Forms', exact: true }).waitFor()
  return {
    served,
    page,
    dataDir: data.dir,
    cspViolations,
    close: async () => {
      await chromium.close()
      await served.close()
      data.cleanup()
    },
  }
}
