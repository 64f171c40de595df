import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { chromium, type Browser, type BrowserContext } from 'playwright-core'
import { repoRoot } from './paths'

export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
export const screenshotsDir = join(repoRoot, 'test-results', 'screenshots')

/**
 * Debian's Chromium, headless, with the flags this machine needs (no background networking: the
 * network is closed and Chromium would otherwise retry Google's hosts). A fresh profile per run.
 */
export async function launchChromium(): Promise<{ browser: Browser; context: BrowserContext; close: () => Promise<void> }> {
  if (!existsSync(chromiumPath)) {
    throw new Error(`Chromium is not installed at ${chromiumPath}: apt-get install -y chromium (the e2e tests need it).`)
  }
  const profile = mkdtempSync(join(tmpdir(), 'outpost-chromium-'))
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
    viewport: { width: 1200, height: 800 },
  })
  mkdirSync(screenshotsDir, { recursive: true })
  return {
    browser: context.browser() as Browser,
    context,
    close: async () => {
      await context.close()
      rmSync(profile, { recursive: true, force: true })
    },
  }
}
