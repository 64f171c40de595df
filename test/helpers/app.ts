import type { Page } from 'playwright-core'
import { serveInBrowser } from '../../electron/core/bridge/serve'
import { launchChromium } from './chromium'
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

/**
 * The real app for an e2e test: a core over a fresh data folder behind the loopback bridge, and
 * headless Chromium with the home screen open.
 */
export async function openApp(prefix: string): Promise<AppUnderTest> {
  const data = makeTempDir(prefix)
  const served = await serveInBrowser(repoRoot, { OUTPOST_DATA_DIR: data.dir })
  const chromium = await launchChromium()
  const page = await chromium.context.newPage()
  const cspViolations: string[] = []
  page.on('console', (message) => {
    if (/Content.Security.Policy/i.test(message.text())) cspViolations.push(message.text())
  })
  await page.goto(served.bridge.url)
  await page.getByRole('heading', { name: 'Forms', exact: true }).waitFor()
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
