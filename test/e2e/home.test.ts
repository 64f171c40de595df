import { existsSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import type { BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { serveInBrowser } from '../../electron/core/bridge/serve'
import { launchChromium, screenshotsDir } from '../helpers/chromium'
import { testSupervisor } from '../helpers/core'
import { makeTempDir, repoRoot } from '../helpers/paths'

type Served = Awaited<ReturnType<typeof serveInBrowser>>

let served: Served
let chromium: Awaited<ReturnType<typeof launchChromium>>
let context: BrowserContext
const data = makeTempDir('outpost-e2e-')

beforeAll(async () => {
  if (!existsSync(join(repoRoot, 'out/renderer/index.html'))) {
    throw new Error('The renderer is not built: run `npm run build` first (npm test does).')
  }
  served = await serveInBrowser(repoRoot, { OUTPOST_DATA_DIR: data.dir })
  await served.core.auth.setup({ ...testSupervisor }) // signed in: the home screen, not first-run setup
  chromium = await launchChromium()
  context = chromium.context
})

afterAll(async () => {
  await chromium?.close()
  await served?.close()
  data.cleanup()
})

async function openApp(): Promise<Page> {
  const page = await context.newPage()
  await page.goto(served.bridge.url)
  await page.getByRole('heading', { level: 1 }).waitFor()
  return page
}

describe('home screen in Chromium through the bridge', () => {
  it('shows the empty state and the core’s identity, fetched end to end', async () => {
    const page = await openApp()
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Forms')
    await expect(page.getByTestId('forms-empty').textContent()).resolves.toContain('No forms on this laptop yet')
    const footer = page.getByTestId('app-footer')
    await footer.filter({ hasText: 'Version' }).waitFor()
    expect(await footer.textContent()).toContain(`device ${served.core.device.id.slice(-8)}`)
    expect(new URL(page.url()).hash).toBe('') // the token left the address bar
    await page.screenshot({ path: join(screenshotsDir, 'home-empty.png') })
    await page.close()
  })

  it('switches the interface to French and Arabic (right to left), stored by the core', async () => {
    const page = await openApp()
    await page.getByRole('combobox').selectOption('fr')
    await page.getByRole('heading', { name: 'Formulaires' }).waitFor()
    expect((await served.core.handlers['settings.get']({})).language).toBe('fr')

    await page.getByRole('combobox').selectOption('ar')
    await page.getByRole('heading', { name: 'الاستمارات' }).waitFor()
    expect(await page.locator('html').getAttribute('dir')).toBe('rtl')
    await page.screenshot({ path: join(screenshotsDir, 'home-arabic-rtl.png') })

    const socket = page.waitForEvent('websocket')
    await page.reload()
    await page.getByRole('heading', { name: 'الاستمارات' }).waitFor()
    await socket
    await vi.waitFor(() => expect(served.core.events.listenerCount).toBe(1))
    await served.core.handlers['settings.update']({ language: 'en' })
    await page.getByRole('heading', { name: 'Forms', exact: true }).waitFor() // followed the core's event
    await page.close()
  })

  it('lists the forms stored in the local database', async () => {
    const now = Date.now()
    await served.core.store.db
      .insertInto('forms')
      .values({ id: 'f1', form_id: 'household', title: 'Household survey', created_at: now, updated_at: now })
      .execute()
    await served.core.store.db
      .insertInto('form_versions')
      .values({ id: 'v1', form_id: 'f1', version: '2026110101', title: 'Household survey', xform: '<h:html/>', source_name: null, sha256: 'x', created_at: now })
      .execute()
    const page = await openApp()
    const row = page.getByRole('listitem').filter({ hasText: 'Household survey' })
    await row.waitFor()
    expect(await row.textContent()).toContain('version 2026110101')
    await page.screenshot({ path: join(screenshotsDir, 'home-with-form.png') })
    await page.close()
  })

  it('refuses calls from another local web page, even one that knows the token', async () => {
    const other: Server = createServer((_req, res) => res.end('<html><body>other</body></html>'))
    await new Promise<void>((done) => other.listen(0, '127.0.0.1', done))
    const page = await context.newPage()
    await page.goto(`http://127.0.0.1:${(other.address() as AddressInfo).port}/`)
    const outcome = await page.evaluate(
      async ({ origin, token }) => {
        try {
          const response = await fetch(`${origin}/api/invoke`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
            body: JSON.stringify({ name: 'settings.update', input: { language: 'fr' } }),
          })
          return `status ${response.status}`
        } catch {
          return 'blocked'
        }
      },
      { origin: served.bridge.origin, token: served.bridge.token },
    )
    expect(outcome).toBe('blocked')
    expect((await served.core.handlers['settings.get']({})).language).toBe('en')
    await page.close()
    other.closeAllConnections()
    await new Promise<void>((done) => other.close(() => done()))
  })

  it('shows the error as a toast when the core stops answering', async () => {
    const page = await openApp()
    await served.bridge.close()
    await page.getByRole('combobox').selectOption('fr')
    const toast = page.getByRole('alert')
    await toast.waitFor()
    expect(await toast.textContent()).toContain('not answering')
    await page.screenshot({ path: join(screenshotsDir, 'toast-core-unavailable.png') })
    await page.close()
  })
})
