import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openApp, type AppUnderTest } from '../helpers/app'
import { screenshotsDir } from '../helpers/chromium'
import { makeFormMarkdown, makeVillageFormMarkdown, villagesCsv } from '../helpers/forms'
import { sharedDir } from '../helpers/paths'

let app: AppUnderTest
let served: AppUnderTest['served']
let page: Page

beforeAll(async () => {
  app = await openApp('outpost-e2e-import-')
  ;({ served, page } = app)
})
afterAll(() => app?.close())

const choose = (name: string, content: string | Buffer) =>
  page.getByTestId('import-input').setInputFiles({ name, mimeType: 'application/octet-stream', buffer: Buffer.from(content) })

describe('importing a form from the home screen', () => {
  it('lists every problem of a broken spreadsheet by sheet, row and column', async () => {
    await choose('broken.md', makeFormMarkdown({ relevant: '${sise} > 3' }))
    const report = page.getByTestId('import-report')
    await report.waitFor()
    expect(await report.getAttribute('role')).toBe('alert')
    const rows = report.getByRole('row')
    await rows.nth(1).waitFor()
    expect(await rows.nth(1).textContent()).toContain('survey · row 4 · relevant')
    expect(await report.textContent()).toContain('${size}')
    await page.screenshot({ path: join(screenshotsDir, 'import-refused.png') })
    expect(await served.core.handlers['forms.list']({})).toEqual([])
  })

  it('imports a good one and lists it', async () => {
    await choose('household.md', makeFormMarkdown({ version: '2026112301', title: 'Household survey' }))
    await page.getByRole('status').filter({ hasText: 'is ready to use' }).waitFor()
    await page.getByRole('listitem').filter({ hasText: 'Household survey' }).waitFor()
    await page.screenshot({ path: join(screenshotsDir, 'import-success.png') })
  })

  it('imports a real .xlsx from pyxform’s examples', async () => {
    const xlsx = join(sharedDir, 'conformance/pyxform/example_xls/xlsform_spec_test.xlsx')
    if (!existsSync(xlsx)) throw new Error(`${xlsx} is missing: the conformance corpus must sit beside the repository (or set OUTPOST_SHARED_DIR)`)
    await choose('xlsform_spec_test.xlsx', readFileSync(xlsx))
    await page.getByRole('status').filter({ hasText: 'is ready to use' }).waitFor()
    const forms = await served.core.handlers['forms.list']({})
    expect(forms.map((f) => f.title)).toContain('Spec test')
  })

  it('imports a form with the village list it reads, chosen together, and fills from that list', async () => {
    const form = makeVillageFormMarkdown()
    const villages = villagesCsv
    await page.getByTestId('import-input').setInputFiles([
      { name: 'villages.csv', mimeType: 'text/csv', buffer: Buffer.from(villages) },
      { name: 'visits.md', mimeType: 'text/markdown', buffer: Buffer.from(form) },
    ])
    await page.getByTestId('import-media').filter({ hasText: 'villages.csv' }).waitFor()
    await page.getByRole('button', { name: 'New record for Village visits' }).click()
    await page.getByRole('heading', { name: 'Village visits' }).waitFor()
    expect(await page.getByTestId('missing-media').count()).toBe(0)
    await page.getByRole('radiogroup', { name: 'District' }).getByRole('radio', { name: 'North' }).check()
    const village = page.getByRole('radiogroup', { name: 'Village' })
    await village.getByRole('radio', { name: 'Nordham' }).waitFor()
    expect(await village.getByRole('radio').allTextContents()).toHaveLength(2)
    await page.screenshot({ path: join(screenshotsDir, 'import-media-fill.png') })
  })

  it('says so on the form when a file it reads is missing', async () => {
    const form = [
      '| survey |',
      '|        | type                             | name   | label  |',
      '|        | select_one_from_file schools.csv | school | School |',
      '| settings |',
      '|          | form_id | version | form_title    |',
      '|          | schools | 1       | School visits |',
      '',
    ].join('\n')
    await page.reload() // back to the forms list from the form left open above
    await page.getByRole('heading', { name: 'Forms', exact: true }).waitFor()
    await choose('schools.md', form)
    await page.getByRole('status').filter({ hasText: 'is ready to use' }).waitFor()
    expect(await page.getByTestId('import-report').textContent()).toContain('reads "schools.csv", which is not on this laptop')
    await page.getByRole('button', { name: 'New record for School visits' }).click()
    const notice = page.getByTestId('missing-media')
    await notice.waitFor()
    expect(await notice.textContent()).toContain('schools.csv')
    await page.screenshot({ path: join(screenshotsDir, 'import-media-missing.png') })
  })
})
