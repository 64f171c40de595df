import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { crc32, deflateSync } from 'node:zlib'
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

/** A small RGB PNG with a gradient, built here so the test needs no image file. */
function png(width: number, height: number): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data])
    const out = Buffer.alloc(12 + data.length)
    out.writeUInt32BE(data.length, 0)
    body.copy(out, 4)
    out.writeUInt32BE(crc32(body), 8 + data.length)
    return out
  }
  const header = Buffer.alloc(13)
  header.writeUInt32BE(width, 0)
  header.writeUInt32BE(height, 4)
  header.set([8, 2, 0, 0, 0], 8) // 8-bit RGB
  const rows = Buffer.alloc(height * (1 + width * 3))
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++)
      rows.set([(x * 255) / width, 120, (y * 255) / height], y * (1 + width * 3) + 1 + x * 3)
  }
  const signature = Buffer.from([137, 80, 78, 71, 13, 10, 26, 10])
  return Buffer.concat([
    signature,
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(rows)),
    chunk('IEND', Buffer.alloc(0)),
  ])
}

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
    // The filters narrow the search's matches: Zainab's record is a draft.
    await page.getByRole('combobox', { name: 'Status' }).selectOption('Complete')
    await count(0)
    await page.getByRole('combobox', { name: 'Status' }).selectOption('All statuses')
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

  it('shows a record’s files: a photo inline and a document to save', async () => {
    const [kofi] = (
      await served.core.handlers['records.search']({ query: 'Kofi Mensah 2', offset: 0, limit: 50 })
    ).rows.filter((r) => r.instanceName === 'Kofi Mensah 2 household')
    const recordId = kofi?.id ?? ''
    const photo = png(48, 32)
    for (const [fieldPath, fileName, mediaType, bytes] of [
      ['photo', 'kofi.png', 'image/png', photo],
      ['consent', 'consent.pdf', 'application/pdf', Buffer.from('%PDF-1.4 consent')],
    ] as const) {
      const added = await served.core.dispatch('records.addAttachment', {
        recordId,
        fieldPath,
        fileName,
        mediaType,
        contentBase64: bytes.toString('base64'),
      })
      if (!added.ok) throw new Error(added.error.message)
    }
    await page.getByRole('searchbox', { name: 'Search' }).fill('Kofi Mensah 2')
    await page.getByRole('button', { name: 'Kofi Mensah 2 household', exact: true }).click()
    const files = page.getByRole('region', { name: 'Files' })
    const image = files.getByRole('img', { name: 'photo: kofi.png' })
    await image.waitFor()
    // Decoded from the bytes the core decrypted: the browser knows its real size.
    await page.waitForFunction(
      () =>
        (
          globalThis as unknown as {
            document: { querySelector: (s: string) => { naturalWidth: number } | null }
          }
        ).document.querySelector('.attachment-image')?.naturalWidth === 48,
    )
    const save = files.getByRole('link', { name: 'Save a copy of consent.pdf' })
    expect(await save.getAttribute('href')).toMatch(/^blob:/)
    expect(await save.getAttribute('download')).toBe('consent.pdf')
    await shot('records-attachments')
    await page.keyboard.press('Escape')
    await page.getByRole('searchbox', { name: 'Search' }).fill('')
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
