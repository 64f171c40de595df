import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { readXlsx } from '../../shared/xlsform/read-xlsx'
import { openApp, type AppUnderTest } from '../helpers/app'
import { screenshotsDir } from '../helpers/chromium'
import { repoRoot } from '../helpers/paths'

let app: AppUnderTest
let served: AppUnderTest['served']
let page: Page
const form = readFileSync(join(repoRoot, 'test/fixtures/forms/household.md'))
const bulk = 250
const names = ['Amina Yusuf', 'Kofi Mensah', 'Esi Boateng', 'Ibrahim Sow', 'Fatou Ndiaye']

beforeAll(async () => {
  app = await openApp('outpost-e2e-records-')
  ;({ served, page } = app)
})
afterAll(() => app?.close())

const shot = (name: string) =>
  page.screenshot({ path: join(screenshotsDir, `${name}.png`), fullPage: true })
const count = (n: number) =>
  page
    .locator('.records-count')
    .getByText(`${n} record${n === 1 ? '' : 's'}`, { exact: true })
    .waitFor()
const focusedIndex = () =>
  page.evaluate(
    () =>
      (
        globalThis as unknown as {
          document: { activeElement: { getAttribute: (n: string) => string | null } | null }
        }
      ).document.activeElement?.getAttribute('data-index') ?? null,
  )

async function importAndSeed(): Promise<void> {
  await page
    .getByTestId('import-input')
    .setInputFiles({ name: 'household.md', mimeType: 'text/markdown', buffer: form })
  await page.getByRole('listitem').filter({ hasText: 'Household survey' }).waitFor()
  const formKey = (await served.core.handlers['forms.list']({}))[0]?.id ?? ''
  const version = await served.core.handlers['forms.get']({ id: formKey })
  for (let i = 0; i < bulk; i++) {
    const name = `${names[i % names.length] ?? ''} ${i + 1}`
    const created = await served.core.dispatch('records.create', {
      formVersionId: version.formVersionId,
      instanceName: `${name} household`,
      status: i % 3 === 0 ? 'draft' : 'complete',
      values: {
        'head/hh_name': name,
        'head/hh_size': 1 + (i % 9),
        'place/district': i % 2 ? 'north' : 'south',
        'place/village': i % 2 ? 'n1' : 's1',
        water: 'yes',
      },
    })
    if (!created.ok) throw new Error(created.error.message)
  }
}

/** One record typed in through the fill screen, so it has the instance the runtime edits. */
async function fillOne(): Promise<void> {
  await page.getByRole('button', { name: 'New record for Household survey' }).click()
  await page.getByRole('heading', { name: 'Household survey' }).waitFor()
  await page.keyboard.type('Zainab Okafor')
  await page.keyboard.press('Enter')
  await page.keyboard.type('3')
  await page.keyboard.press('Enter')
  await page.locator('[data-testid="save-state"][data-state="saved"]').waitFor()
  await page.getByRole('button', { name: 'Save draft and close' }).click()
}

describe('records: find, correct, audit, export', () => {
  it('lists, filters, selects and deletes with undo from the keyboard', async () => {
    await importAndSeed()
    await fillOne()
    await page.getByRole('heading', { name: 'Household survey' }).waitFor()
    await count(bulk + 1)
    const table = page.getByRole('table', { name: 'Records' })
    await table.getByRole('columnheader', { name: 'Household size' }).waitFor()
    await table.getByRole('cell', { name: 'Southport' }).first().waitFor() // choice label, not "s1"
    await shot('records-list')

    await page.locator('tr[data-index="0"]').focus()
    await page.keyboard.press('ArrowDown')
    await page.keyboard.press('ArrowDown')
    expect(await focusedIndex()).toBe('2')
    await page.keyboard.press('End')
    await page.waitForFunction(
      (last) =>
        (
          globalThis as unknown as {
            document: { activeElement: { getAttribute: (n: string) => string | null } | null }
          }
        ).document.activeElement?.getAttribute('data-index') === String(last),
      bulk,
    )
    await page.locator(`tr[data-index="${bulk}"][data-status]`).waitFor() // the last window was fetched
    await page.keyboard.press('Home')
    await page.keyboard.press('Space')
    await page.getByRole('toolbar', { name: 'Selected records' }).getByText('1 selected').waitFor()
    await page.keyboard.press('Delete')
    await page.getByTestId('undo-snackbar').getByText('1 record deleted').waitFor()
    await count(bulk)
    await page.getByRole('combobox', { name: 'Status' }).selectOption('Deleted (bin)')
    await count(1)
    await shot('records-bin')
    await page.getByTestId('undo-snackbar').getByRole('button', { name: 'Undo' }).click()
    await count(0)
    await page.getByRole('combobox', { name: 'Status' }).selectOption('All statuses')
    await count(bulk + 1)

    await page.getByRole('combobox', { name: 'Question to filter on' }).selectOption('District')
    await page.getByRole('combobox', { name: 'Answer' }).selectOption('North')
    await count(bulk / 2)
    await page.getByRole('combobox', { name: 'Question to filter on' }).selectOption('Any question')
    await count(bulk + 1)
  }, 120_000)

  it('finds a record by search, edits it, shows the edit in its history and restores the old value', async () => {
    await page.getByRole('searchbox', { name: 'Search' }).fill('Zainab')
    await count(1)
    await shot('records-search')
    await page.locator('tr[data-index="0"][data-status]').focus()
    await page.keyboard.press('Enter')
    const answers = page.getByRole('region', { name: 'Answers' })
    await answers.getByText('Name of the household head').waitFor()
    expect(await answers.locator('[data-path="head/hh_size"] dd').textContent()).toBe('3')

    await page.getByRole('button', { name: 'Edit', exact: true }).click()
    const size = page.getByRole('textbox', { name: 'Household size' })
    await size.fill('6')
    await size.press('Tab')
    await page.locator('[data-testid="save-state"][data-state="saved"]').waitFor()
    await page.getByRole('button', { name: 'Save draft and close' }).click()
    await count(1)
    await page.getByRole('button', { name: 'Zainab Okafor household' }).click()

    const history = page.getByRole('region', { name: 'History' })
    // The draft's autosave logged "(empty) → 3" before; the edit is its own entry.
    const edit = history
      .getByRole('listitem')
      .filter({ hasText: 'Household size changed' })
      .filter({ hasText: '3 → 6' })
    await edit.waitFor()
    expect(await answers.locator('[data-path="head/hh_size"] dd').textContent()).toBe('6')
    await shot('records-history')

    await edit.getByRole('button', { name: 'Restore “3”' }).click()
    await history.getByRole('listitem').filter({ hasText: 'Household size restored' }).waitFor()
    await answers.locator('[data-path="head/hh_size"] dd').getByText('3', { exact: true }).waitFor()
    await shot('records-restored')
    const [found] = (
      await served.core.handlers['records.search']({ query: 'Zainab', offset: 0, limit: 5 })
    ).rows
    const record = await served.core.handlers['records.get']({ id: found?.id ?? '' })
    expect(record.values['head/hh_size']).toBe(3)
    const kinds = (await served.core.handlers['records.history']({ id: record.id })).entries.map(
      (e) => e.kind,
    )
    expect(kinds.at(-1)).toBe('revert')

    await page.getByRole('combobox', { name: 'Interface language' }).selectOption('ar')
    await page.getByRole('region', { name: 'الإجابات' }).getByText('حجم الأسرة').waitFor()
    expect(await page.locator('html').getAttribute('dir')).toBe('rtl')
    await shot('records-history-arabic')
    await page.getByRole('heading', { name: 'Zainab Okafor household' }).click()
    await page.keyboard.press('Escape') // back to the list, the keyboard on the record's row
    await page
      .getByRole('table', { name: 'السجلات' })
      .getByRole('columnheader', { name: 'حجم الأسرة' })
      .waitFor()
    await page.waitForFunction(
      () =>
        (
          globalThis as unknown as {
            document: { activeElement: { getAttribute: (n: string) => string | null } | null }
          }
        ).document.activeElement?.getAttribute('data-index') === '0',
    )
    await page.locator('tr[data-index="0"]').getByRole('cell', { name: '3', exact: true }).waitFor() // the restored value
    await shot('records-list-arabic')
    await page.getByRole('combobox', { name: 'لغة الواجهة' }).selectOption('en')
  }, 60_000)

  it('exports XLSX with labels and reads the file back', async () => {
    await page.getByRole('searchbox', { name: 'Search' }).fill('')
    await count(bulk + 1)
    await page.getByRole('button', { name: 'Export…' }).click()
    const out = join(app.dataDir, 'household-export.xlsx')
    await page.getByRole('textbox', { name: 'Save to' }).fill(out)
    await page.getByRole('button', { name: 'Export', exact: true }).click()
    const summary = page.getByTestId('export-summary')
    await summary.getByText(`Exported ${bulk + 1} records.`).waitFor()
    await shot('records-export')

    const workbook = readXlsx(new Uint8Array(readFileSync(out)))
    const [main] = workbook.sheets
    expect(main?.rows).toHaveLength(bulk + 1)
    const cells = main?.rows.map((r) => Object.values(r.cells)) ?? []
    expect(cells.some((row) => row.includes('Zainab Okafor') && row.includes('3'))).toBe(true)
    expect(cells.some((row) => row.includes('Southport'))).toBe(true) // labels, not names
  }, 60_000)

  it('shows progress per day, collector, status and form, and completion against a target', async () => {
    await page.getByRole('button', { name: 'All forms' }).click()
    await page.getByRole('button', { name: 'Progress' }).click()
    await page.getByRole('heading', { name: 'Progress', level: 1 }).waitFor()
    await page
      .getByTestId('dashboard-total')
      .getByText(`${bulk + 1} records in all`)
      .waitFor()
    const perStatus = page.getByRole('figure', { name: 'Records per status' })
    expect(await perStatus.getByRole('row', { name: /Complete/ }).textContent()).toContain(
      String(Math.floor((bulk * 2) / 3)),
    )
    await page.getByTestId('chart-per-day').locator('svg .recharts-bar-rectangle').first().waitFor() // drawn
    await page.getByRole('spinbutton', { name: 'Target for Household survey' }).fill('500')
    await page.getByRole('button', { name: 'Set', exact: true }).click()
    const done =
      (await served.core.handlers['records.stats']({ tzOffsetMinutes: 0 })).perForm[0]?.done ?? 0
    await page.getByText(`${Math.round((done / 500) * 100)}% (${done} of 500)`).waitFor()
    await shot('dashboard')
    await page.getByRole('combobox', { name: 'Interface language' }).selectOption('ar')
    await page.getByRole('heading', { name: 'التقدّم', level: 1 }).waitFor()
    await shot('dashboard-arabic')
    await page.getByRole('combobox', { name: 'لغة الواجهة' }).selectOption('en')
    expect(app.cspViolations).toEqual([])
  })
})
