import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openApp, type AppUnderTest } from '../helpers/app'
import { screenshotsDir } from '../helpers/chromium'
import { markdownToXlsx } from '../helpers/forms'
import { repoRoot } from '../helpers/paths'

let app: AppUnderTest
let served: AppUnderTest['served']
let page: Page
const sheets = mkdtempSync(join(tmpdir(), 'outpost-e2e-xlsx-'))
let form: Buffer

beforeAll(async () => {
  // The spreadsheet a person picks: a real .xlsx of the household form (three pages, a repeat, a
  // cascading select, an Arabic translation).
  form = await markdownToXlsx(readFileSync(join(repoRoot, 'test/fixtures/forms/household.md'), 'utf8'), sheets)
  app = await openApp('outpost-e2e-fill-')
  ;({ served, page } = app)
})
afterAll(() => {
  rmSync(sheets, { recursive: true, force: true })
  return app?.close()
})

const focusedLabel = () =>
  page.evaluate(() => {
    const question = (globalThis as unknown as { document: { activeElement: { closest: (s: string) => { querySelector: (s: string) => { textContent: string } | null } | null } | null } }).document.activeElement?.closest('[data-question]')
    return question?.querySelector('.question-label')?.textContent ?? null
  })

async function saved(): Promise<void> {
  await page.locator('[data-testid="save-state"][data-state="saved"]').waitFor()
}

describe('filling a form from the keyboard', () => {
  it('imports the form, fills it heads-down, keeps the draft across a reload, completes it', async () => {
    await page.getByTestId('import-input').setInputFiles({ name: 'household.xlsx', mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', buffer: form })
    await page.getByRole('listitem').filter({ hasText: 'Household survey' }).waitFor()

    await page.getByRole('button', { name: 'New record for Household survey' }).focus()
    await page.keyboard.press('Enter')
    await page.getByRole('heading', { name: 'Household survey' }).waitFor()
    expect(await focusedLabel()).toContain('Name of the household head')

    await page.keyboard.type('Amina')
    await page.keyboard.press('Enter')
    expect(await focusedLabel()).toContain('Household size')
    await page.keyboard.type('40')
    await page.keyboard.press('Enter')
    await page.getByText('Between 1 and 29 people').waitFor() // shown on leaving the field
    await page.keyboard.press('Shift+Tab')
    expect(await focusedLabel()).toContain('Household size')
    await page.keyboard.press('Control+a')
    await page.keyboard.type('4')
    await page.keyboard.press('Enter')
    expect(await focusedLabel()).toContain('District')
    await page.keyboard.press('2') // South
    await page.keyboard.press('Enter')
    expect(await focusedLabel()).toContain('Village')
    const villages = await page.getByRole('radiogroup', { name: 'Village' }).getByRole('radio').count()
    expect(villages).toBe(1) // filtered by district
    await page.keyboard.press('1')
    await page.keyboard.press('Enter')
    expect(await focusedLabel()).toContain('Member name')
    await page.keyboard.type('Kofi')
    await page.keyboard.press('Enter')
    await page.keyboard.type('7')
    await page.keyboard.press('Enter') // after the last answer of a member: "Add Member"
    await page.keyboard.press('Enter')
    await page.getByRole('group', { name: 'Member 2' }).waitFor()
    await page.waitForFunction(() => (globalThis as unknown as { document: { activeElement: { tagName: string } | null } }).document.activeElement?.tagName === 'INPUT')
    expect(await focusedLabel()).toContain('Member name')
    await page.keyboard.type('Esi')
    await page.keyboard.press('Enter')
    await page.keyboard.type('3')
    await page.keyboard.press('Enter')
    await page.keyboard.press('Tab') // no third member: Tab moves past "Add Member"
    expect(await focusedLabel()).toContain('Has drinking water?')
    await page.keyboard.press('1')
    await page.keyboard.press('Enter')
    expect(await focusedLabel()).toContain('Water source')
    await page.keyboard.type('Well')
    await page.keyboard.press('Control+s')
    await saved()
    await page.screenshot({ path: join(screenshotsDir, 'fill-draft.png'), fullPage: true })

    const formKey = (await served.core.handlers['forms.list']({}))[0]?.id ?? ''
    const listed = await served.core.dispatch('records.list', { formId: formKey })
    if (!listed.ok) throw new Error(listed.error.message)
    const [draft] = (listed.value as { rows: Array<{ id: string; status: string; instanceName: string | null }> }).rows
    expect(draft).toMatchObject({ status: 'draft', instanceName: 'Amina household' })

    // Close the window (a reload loses everything the page held) and continue the draft.
    await page.reload()
    await page.getByRole('button', { name: 'Records of Household survey' }).click()
    await page.getByRole('button', { name: 'Continue' }).click()
    await page.getByRole('heading', { name: 'Household survey' }).waitFor()
    expect(await page.getByRole('textbox', { name: 'Water source' }).inputValue()).toBe('Well')
    expect(await page.getByRole('group', { name: 'Member 2' }).getByRole('textbox').first().inputValue()).toBe('Esi')

    const contents = page.getByRole('navigation', { name: 'Contents' })
    await contents.getByText('Contents').click()
    await contents.getByRole('button', { name: 'Location' }).click()
    expect(await focusedLabel()).toContain('District')

    await page.getByRole('combobox', { name: 'Form language' }).selectOption('Arabic (ar)')
    await page.getByText('اسم رب الأسرة').waitFor()
    expect(await page.locator('form.fill').getAttribute('dir')).toBe('rtl')
    await page.screenshot({ path: join(screenshotsDir, 'fill-arabic.png'), fullPage: true })

    await page.getByRole('button', { name: 'Complete' }).click()
    await page.getByRole('table').getByText('Complete').waitFor()
    await page.screenshot({ path: join(screenshotsDir, 'records-after-complete.png') })
    const record = await served.core.handlers['records.get']({ id: draft?.id ?? '' })
    expect(record.status).toBe('complete')
    expect(record.values).toMatchObject({
      'head/hh_name': 'Amina',
      'head/hh_size': 4,
      'place/district': 'south',
      'place/village': 's1',
      member: [
        { m_name: 'Kofi', m_age: 7 },
        { m_name: 'Esi', m_age: 3 },
      ],
      water: 'yes',
      water_source: 'Well',
    })
  })
})
