import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createEnrollmentCode } from '../../registry/domain/devices'
import { exportPackageFile, importPackageFile } from '../../registry/domain/packages'
import { openApp, type AppUnderTest } from '../helpers/app'
import { screenshotsDir } from '../helpers/chromium'
import { makeTempDir } from '../helpers/paths'
import { system } from '../registry/helpers/harness'
import { registryDigest } from '../sync/helpers/digest'
import { makeWorld, type World } from '../sync/helpers/world'

/**
 * Issue 8's "done when", in Chromium: an office laptop with no network writes a package from the
 * Packages screen, HQ imports it and writes the return package, the laptop checks and applies it
 * from the same screen, and its records then count as delivered (nothing waiting to be sent).
 */
const shotsDir = join(screenshotsDir, 'packages')
let app: AppUnderTest
let page: Page
let world: World
const usb = makeTempDir('outpost-usb-')
/** Stands in for the desktop's Save/Open dialog: answers the next path and notes what was asked. */
const dialog = { next: null as string | null, asked: [] as string[] }

beforeAll(async () => {
  mkdirSync(shotsDir, { recursive: true })
  world = await makeWorld()
  app = await openApp('outpost-e2e-packages-', {
    chooseFile: (choice) => {
      dialog.asked.push(choice.purpose)
      return Promise.resolve(dialog.next)
    },
  })
  page = app.page
}, 120_000)
afterAll(async () => {
  await app?.close()
  await world?.close()
  usb.cleanup()
})

const shot = (name: string) => page.screenshot({ path: join(shotsDir, `${name}.png`), fullPage: true })

async function openPackages(): Promise<void> {
  await page.getByTestId('user-menu').click()
  await page.getByRole('menuitem', { name: 'USB packages' }).click()
  await page.getByRole('heading', { name: 'USB packages' }).waitFor()
}

describe('USB packages from the office app', () => {
  it('writes the office’s records to a package while the network is gone', async () => {
    const core = app.served.core
    const { code } = await createEnrollmentCode(world.registry.db, system, { office: world.officeId })
    const enrolled = await core.dispatch('sync.enroll', { registryUrl: world.proxy.url, code, deviceName: 'Office laptop' })
    expect(enrolled.ok).toBe(true)
    await core.handlers['sync.now']({})
    expect(await core.handlers['forms.list']({})).toHaveLength(1) // the office's form arrived
    world.proxy.down() // the office loses its connection for weeks
    for (const [name, age] of [['Amina', 30], ['Kofi', 52], ['Lena', 8]] as const) {
      const created = await core.dispatch('records.create', { formVersionId: world.formVersionId, values: { name, age }, status: 'complete' })
      expect(created.ok).toBe(true)
    }
    await openPackages()
    await page.getByText('3 changes on this laptop have not reached HQ yet.').waitFor()
    // Picked with the (stand-in) system Save dialog, as in the desktop app.
    dialog.next = join(usb.dir, 'office.outpost')
    await page.getByTestId('packages-export-path-choose').click()
    await expect.poll(() => page.getByTestId('packages-export-path').inputValue()).toBe(dialog.next)
    expect(dialog.asked).toEqual(['package-export'])
    await page.getByRole('button', { name: 'Write package' }).click()
    const summary = page.getByTestId('packages-export-summary')
    await summary.waitFor({ timeout: 60_000 })
    expect(await page.getByTestId('packages-export-records').textContent()).toBe('3')
    await shot('01-export-summary')
  }, 120_000)

  it('is imported at HQ, and the return package is checked then applied in the app', async () => {
    const applied = await importPackageFile(world.registry.db, join(usb.dir, 'office.outpost'))
    expect(applied.newOps).toBe(3)
    const hq = await registryDigest(world.registry, world.officeId)
    expect(Object.values(hq.records).map((r) => r.values.name).sort()).toEqual(['Amina', 'Kofi', 'Lena'])
    const deviceId = (app.served.core.store.sqlite.prepare("SELECT value FROM sync_state WHERE key = 'registry_device_id'").get() as { value: string }).value
    await exportPackageFile(world.registry.db, { deviceId, path: join(usb.dir, 'from-hq.outpost') })

    // A copy damaged on the way is refused, saying nothing was changed.
    const damaged = readFileSync(join(usb.dir, 'from-hq.outpost'))
    damaged.writeUInt8(damaged.readUInt8(500) ^ 1, 500)
    writeFileSync(join(usb.dir, 'damaged.outpost'), damaged)
    await page.getByTestId('packages-import-path').fill(join(usb.dir, 'damaged.outpost'))
    await page.getByRole('button', { name: 'Check package' }).click()
    const refusal = page.getByTestId('packages-import-error')
    await refusal.waitFor()
    expect(await refusal.getAttribute('data-reason')).toBe('damaged')
    expect(await refusal.textContent()).toContain('Nothing was changed.')
    await shot('02-damaged-refused')

    dialog.next = join(usb.dir, 'from-hq.outpost') // the Open dialog this time
    await page.getByTestId('packages-import-path-choose').click()
    await expect.poll(() => page.getByTestId('packages-import-path').inputValue()).toBe(dialog.next)
    expect(dialog.asked).toEqual(['package-export', 'package-import'])
    await page.getByRole('button', { name: 'Check package' }).click()
    await page.getByTestId('packages-preview').waitFor()
    expect(await page.getByTestId('packages-preview').textContent()).toContain('signed by HQ')
    await shot('03-return-package-checked')
    await page.getByTestId('packages-apply').click()
    await page.getByTestId('packages-import-summary').waitFor({ timeout: 60_000 })
    expect(await page.getByTestId('packages-delivered').textContent()).toBe('3 changes confirmed delivered to HQ')
    await page.getByText('Everything on this laptop has reached HQ.').waitFor()
    await shot('04-return-applied-delivered')
    const status = await app.served.core.handlers['sync.status']({})
    expect(status.waiting).toBe(0)

    // The same package again changes nothing and says so as a harmless notice.
    await page.getByRole('button', { name: 'Check package' }).click()
    await page.getByTestId('packages-already').waitFor()
    await shot('05-already-applied')
    expect(app.cspViolations).toEqual([])
  }, 120_000)
})
