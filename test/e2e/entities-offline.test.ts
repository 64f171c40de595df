import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openApp, type AppUnderTest } from '../helpers/app'
import { screenshotsDir } from '../helpers/chromium'
import { householdRegistrationMarkdown, householdVisitMarkdown } from '../helpers/forms'

let app: AppUnderTest
let page: Page

beforeAll(async () => {
  app = await openApp('outpost-e2e-entities-')
  page = app.page
})
afterAll(() => app?.close())

async function importForm(name: string, markdown: string, title: string): Promise<void> {
  await page.getByTestId('import-input').setInputFiles({ name, mimeType: 'text/markdown', buffer: Buffer.from(markdown) })
  await page.getByRole('listitem').filter({ hasText: title }).waitFor()
}

describe('offline entities on the laptop, never synced', () => {
  it('registers a household, then a visit form lists it to choose', { timeout: 60_000 }, async () => {
    page.setDefaultTimeout(8000)
    await importForm('hh_reg.md', householdRegistrationMarkdown, 'hh_reg')
    await importForm('hh_visit.md', householdVisitMarkdown, 'Household visit')

    await page.getByRole('button', { name: 'New record for hh_reg' }).click()
    await page.getByRole('textbox', { name: 'Household head' }).fill('Amina Diallo')
    await page.getByRole('textbox', { name: 'Household size' }).fill('4')
    await page.getByRole('button', { name: 'Complete' }).click()
    await page.getByRole('table').getByText('Complete').waitFor()

    await page.getByRole('button', { name: 'All forms' }).click()
    await page.getByRole('button', { name: 'New record for Household visit' }).click()
    await page.getByRole('heading', { name: 'Household visit' }).waitFor()
    const household = page.getByRole('radio', { name: 'Amina Diallo' })
    await household.waitFor()
    await page.screenshot({ path: join(screenshotsDir, 'entities-offline-visit.png'), fullPage: true })
    expect(await page.getByText('households.csv').count()).toBe(0) // not named as a missing file
    await household.check()
    expect(await household.isChecked()).toBe(true)
  })
})
