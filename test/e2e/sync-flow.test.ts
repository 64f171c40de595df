import { mkdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openApp, type AppUnderTest } from '../helpers/app'
import { screenshotsDir } from '../helpers/chromium'
import { repoRoot } from '../helpers/paths'
import { signIn } from '../registry/helpers/harness'
import { makeWorld, type World } from '../sync/helpers/world'

/**
 * Issue 7's "done when", in Chromium against a registry this test starts (PGlite on loopback,
 * behind the sync tests' proxy so it can stop and start on the same data): enroll through the UI,
 * fill records while the registry is down, watch the status line reach "synced" once it is back,
 * edit one answer at HQ and in the app, sync, settle the conflict in the conflicts screen, and
 * find the resolution on the registry.
 */
const shotsDir = join(screenshotsDir, 'sync')
let app: AppUnderTest
let page: Page
let world: World
/** HQ's administrator makes enrollment codes; world.hqToken is a data manager's (corrections). */
let adminToken: string

type HqRecord = { id: string; values: Record<string, unknown> }
type HqConflict = { id: string; recordId: string; fieldPath: string; resolvedByOp: string | null }

beforeAll(async () => {
  mkdirSync(shotsDir, { recursive: true })
  world = await makeWorld()
  adminToken = await signIn(world.registry, 'admin')
  app = await openApp('outpost-e2e-sync-')
  page = app.page
}, 120_000)
afterAll(async () => {
  await app?.close()
  await world?.close()
})

const shot = (name: string) => page.screenshot({ path: join(shotsDir, `${name}.png`), fullPage: true })
const line = () => page.getByTestId('sync-line')
const lineState = (state: string) =>
  page.locator(`[data-testid="sync-line"][data-state="${state}"]`).waitFor({ timeout: 60_000 })

async function hq<T>(method: string, path: string, body?: unknown, token = world.hqToken): Promise<T> {
  const reply = await world.registry.call(method, path, { token, body })
  if (reply.status >= 300) throw new Error(`${method} ${path}: ${reply.status} ${JSON.stringify(reply.body)}`)
  return reply.body as T
}

async function fillRecord(name: string, age: number): Promise<void> {
  // The office's form from the registry (titled after its file, household-<pid>-<n>).
  await page.getByRole('button', { name: /^New record for household-\d/ }).click()
  const nameBox = page.getByRole('textbox', { name: /^Name/ })
  await nameBox.fill(name)
  await nameBox.press('Tab')
  const ageBox = page.getByRole('textbox', { name: /^Age/ })
  await ageBox.fill(String(age))
  await ageBox.press('Tab')
  await page.locator('[data-testid="save-state"][data-state="saved"]').waitFor()
  await page.getByRole('button', { name: 'Complete', exact: true }).click()
  await goHome() // Complete opens the form's records
}

async function goHome(): Promise<void> {
  const home = page.getByRole('heading', { name: 'Forms', exact: true })
  if (await home.isVisible()) return
  await page.getByRole('button', { name: 'All forms', exact: true }).click()
  await page.getByRole('heading', { name: 'Forms', exact: true }).waitFor()
}

describe('syncing an office laptop with the registry', () => {
  it('is not connected at first, and refuses a wrong enrollment code and an unreachable address clearly', async () => {
    await lineState('notEnrolled')
    expect(await line().textContent()).toContain('Not connected to a registry')
    await line().getByRole('button', { name: /Not connected/ }).click()
    await page.getByRole('heading', { name: 'Sync with the registry' }).waitFor()

    await page.getByRole('textbox', { name: 'Registry address' }).fill(world.proxy.url)
    await page.getByRole('textbox', { name: 'Enrollment code' }).fill('NOT-A-CODE-123')
    await page.getByRole('button', { name: 'Connect this laptop' }).click()
    const error = page.getByTestId('enroll-error')
    await error.waitFor()
    expect(await error.getAttribute('data-code')).toBe('unauthorized')
    expect(await error.textContent()).toContain('The enrollment code was not accepted')
    await shot('01-enroll-wrong-code')

    // Port 9 (discard) is closed on loopback: nothing answers there.
    await page.getByRole('textbox', { name: 'Registry address' }).fill('http://127.0.0.1:9')
    await page.getByRole('button', { name: 'Connect this laptop' }).click()
    await page.locator('[data-testid="enroll-error"][data-code="offline"]').waitFor()
    expect(await error.textContent()).toContain('The registry cannot be reached')
  })

  it('enrolls with the code HQ made and receives the office’s form', async () => {
    const { code } = await hq<{ code: string }>('POST', '/v1/hq/enrollment-codes', { office: world.officeId }, adminToken)
    await page.getByRole('textbox', { name: 'Registry address' }).fill(world.proxy.url)
    await page.getByRole('textbox', { name: 'Enrollment code' }).fill(code)
    await page.getByRole('textbox', { name: 'Name of this laptop' }).fill('Office laptop 1')
    await page.getByRole('button', { name: 'Connect this laptop' }).click()
    await page.locator('[data-testid="sync-banner"][data-state="synced"]').waitFor({ timeout: 60_000 })
    await lineState('synced')
    expect(await line().textContent()).toContain('Synced just now')
    await shot('02-enrolled-synced')
    const forms = await app.served.core.handlers['forms.list']({})
    expect(forms).toHaveLength(1)
  })

  it('keeps records filled while the registry is down and sends them once it is back', async () => {
    await world.restartRegistry(async () => {
      await page.getByRole('button', { name: 'Sync now' }).first().click()
      await lineState('offline')
      await goHome()
      await fillRecord('Amina', 30)
      await fillRecord('Kofi', 52)
      // The line reads the count every few seconds (and on sync events): wait for both records'.
      await page.getByTestId('sync-waiting').filter({ hasText: /\d+ changes waiting/ }).waitFor({ timeout: 15_000 })
      expect(await line().textContent()).toMatch(/Offline · next try \d{2}:\d{2}/)
      await shot('03-offline-waiting')
    })
    // Nobody clicks anything: the client notices the registry is back (probe or backoff).
    await lineState('synced')
    await page.getByTestId('sync-waiting').waitFor({ state: 'detached', timeout: 30_000 })
    await shot('04-back-online-synced')
    const { records } = await hq<{ records: HqRecord[] }>('GET', `/v1/hq/records?office=${world.officeId}`)
    expect(records.map((r) => r.values.name).sort()).toEqual(['Amina', 'Kofi'])
  }, 120_000)

  it('shows conflicts when HQ and the laptop change the same answers, and sends the resolutions', async () => {
    const { records } = await hq<{ records: HqRecord[] }>('GET', `/v1/hq/records?office=${world.officeId}`)
    const amina = records.find((r) => r.values.name === 'Amina')
    if (!amina) throw new Error('Amina’s record did not reach the registry.')
    await hq('POST', `/v1/hq/records/${amina.id}/corrections`, {
      changes: [
        { fieldPath: 'age', value: 31 },
        { fieldPath: 'name', value: 'Amina Bello' },
      ],
    })

    // The same answers edited in the app before the corrections arrive.
    await goHome()
    await page.getByRole('button', { name: /^Records of household-\d/ }).click()
    await page.getByRole('searchbox', { name: 'Search' }).fill('Amina')
    await page.locator('.records-count').getByText('1 record', { exact: true }).waitFor()
    // The search box keeps its last query across visits: wait for this search's row, not the last one's.
    const row = page.locator('tr[data-index="0"][data-status]').filter({ hasText: 'Amina' })
    await row.waitFor()
    await row.focus()
    await page.keyboard.press('Enter')
    await page.getByRole('button', { name: 'Edit', exact: true }).click()
    const ageBox = page.getByRole('textbox', { name: /^Age/ })
    await ageBox.fill('32')
    await ageBox.press('Tab')
    const nameBox = page.getByRole('textbox', { name: /^Name/ })
    await nameBox.fill('Amina Kone')
    await nameBox.press('Tab')
    await page.locator('[data-testid="save-state"][data-state="saved"]').waitFor()
    await page.getByRole('button', { name: 'Save draft and close' }).click()

    await page.getByRole('button', { name: 'Sync now' }).first().click()
    const badge = page.getByTestId('sync-conflicts')
    await badge.getByText('2 conflicts', { exact: true }).waitFor({ timeout: 60_000 })
    await shot('05-conflict-in-status-line')
    await badge.click()

    const cards = page.getByTestId('conflict')
    await cards.nth(1).waitFor()
    const age = page.locator('[data-testid="conflict"][data-field="age"]')
    const name = page.locator('[data-testid="conflict"][data-field="name"]')
    await age.getByText(/^Age/).first().waitFor() // the question's label, not its path
    expect(await age.textContent()).toContain('at HQ')
    expect(await age.textContent()).toMatch(/by \u2068sam\u2069/) // the signed-in supervisor, by username
    expect(await age.getByTestId('side-a').textContent()).toMatch(/3[12]/)
    expect(await age.locator('.conflict-side.winner').count()).toBe(1)
    // Keyboard: the first conflict has the focus, arrows move between conflicts.
    const focusedField = () =>
      page.evaluate(
        () =>
          (
            globalThis as unknown as {
              document: { activeElement: { getAttribute: (n: string) => string | null } | null }
            }
          ).document.activeElement?.getAttribute('data-field') ?? null,
      )
    const first = await cards.first().getAttribute('data-field')
    expect(await focusedField()).toBe(first)
    await page.keyboard.press('ArrowDown')
    expect(await focusedField()).toBe(first === 'age' ? 'name' : 'age')
    await page.keyboard.press('ArrowUp')
    expect(await focusedField()).toBe(first)
    await shot('06-conflicts-screen')

    // Age: a new value typed; name: HQ's side chosen.
    await age.getByRole('textbox', { name: 'Or type the right value' }).fill('33')
    await age.getByRole('textbox', { name: 'Or type the right value' }).press('Enter')
    await age.waitFor({ state: 'detached' })
    expect(await focusedField()).toBe('name') // the next open conflict takes the focus
    await name.getByRole('button', { name: /^Keep “\u2068?Amina Bello\u2069?”$/ }).click()
    const empty = page.getByTestId('conflicts-empty')
    await empty.waitFor()
    await shot('07-conflict-resolved')
    await empty.getByRole('button', { name: 'Sync now' }).click()
    await page.getByTestId('sync-waiting').waitFor({ state: 'detached', timeout: 60_000 })
    await lineState('synced')
    expect(await page.getByTestId('sync-conflicts').count()).toBe(0)

    const { conflicts } = await hq<{ conflicts: HqConflict[] }>('GET', `/v1/hq/conflicts?office=${world.officeId}&open=0`)
    const settled = conflicts.filter((c) => c.recordId === amina.id)
    expect(settled.map((c) => [c.fieldPath, c.resolvedByOp !== null]).sort()).toEqual([
      ['age', true],
      ['name', true],
    ])
    const record = await hq<HqRecord>('GET', `/v1/hq/records/${amina.id}`)
    expect(record.values).toMatchObject({ age: 33, name: 'Amina Bello' })
    await shot('08-resolution-synced')
  }, 120_000)

  it('asks whether a record deleted here and corrected at HQ stays deleted, also in Arabic', async () => {
    const { records } = await hq<{ records: HqRecord[] }>('GET', `/v1/hq/records?office=${world.officeId}`)
    const kofi = records.find((r) => r.values.name === 'Kofi')
    if (!kofi) throw new Error('Kofi’s record did not reach the registry.')
    await hq('POST', `/v1/hq/records/${kofi.id}/corrections`, { changes: [{ fieldPath: 'age', value: 53 }] })

    await goHome()
    await page.getByRole('button', { name: /^Records of household-\d/ }).click()
    await page.getByRole('searchbox', { name: 'Search' }).fill('Kofi')
    await page.locator('.records-count').getByText('1 record', { exact: true }).waitFor()
    // The search box keeps its last query across visits: wait for this search's row, not the last one's.
    const row = page.locator('tr[data-index="0"][data-status]').filter({ hasText: 'Kofi' })
    await row.waitFor()
    await row.focus()
    await page.keyboard.press('Space')
    await page.keyboard.press('Delete')
    await page.getByTestId('undo-snackbar').getByText('1 record deleted').waitFor()

    await page.getByRole('button', { name: 'Sync now' }).first().click()
    await page.getByTestId('sync-conflicts').getByText('1 conflict', { exact: true }).waitFor({ timeout: 60_000 })
    await page.getByTestId('sync-conflicts').click()
    const card = page.locator('[data-testid="conflict"][data-field^="#deleted:"]')
    await card.waitFor()
    // Data inside a sentence is isolated (U+2068…U+2069) so it keeps its direction in Arabic.
    expect(await card.getByTestId('side-edited').textContent()).toMatch(/changed to “\u206853\u2069”/)
    expect(await card.getByTestId('side-deleted').textContent()).toContain('Record deleted')

    await page.getByRole('combobox', { name: 'Interface language' }).selectOption('ar')
    await page.getByRole('heading', { name: 'تعارضات يجب حلّها' }).waitFor()
    expect(await page.getAttribute('html', 'dir')).toBe('rtl')
    await card.getByRole('button', { name: 'استعادة السجل' }).waitFor()
    await shot('09-deletion-conflict-ar')
    await page.getByRole('combobox', { name: 'لغة الواجهة' }).selectOption('en')
    await page.getByRole('heading', { name: 'Conflicts to resolve' }).waitFor()

    await card.getByRole('button', { name: 'Restore the record' }).click()
    await page.getByTestId('conflicts-empty').getByRole('button', { name: 'Sync now' }).click()
    await page.getByTestId('sync-waiting').waitFor({ state: 'detached', timeout: 60_000 })
    await lineState('synced')
    const { conflicts } = await hq<{ conflicts: HqConflict[] }>('GET', `/v1/hq/conflicts?office=${world.officeId}&open=0`)
    const settled = conflicts.filter((c) => c.recordId === kofi.id)
    expect(settled.map((c) => [c.fieldPath, c.resolvedByOp !== null])).toEqual([['#deleted:age', true]])
    const stored = await world.registry.db.selectFrom('records').select(['deleted']).where('id', '=', kofi.id).executeTakeFirst()
    expect(stored?.deleted).toBe(false)
    const local = await app.served.core.handlers['records.get']({ id: kofi.id })
    expect(local.values.age).toBe(53)
  }, 120_000)
  it('sets aside a record the registry refuses, says why, and keeps sending the rest', async () => {
    // A form imported on this laptop only: the registry knows no such version and refuses its records.
    await goHome()
    const form = readFileSync(join(repoRoot, 'test/fixtures/forms/household.md'))
    await page.getByTestId('import-input').setInputFiles({ name: 'household.md', mimeType: 'text/markdown', buffer: form })
    await page.getByRole('listitem').filter({ hasText: 'Household survey' }).waitFor()
    const local = (await app.served.core.handlers['forms.list']({})).find((f) => f.title === 'Household survey')
    const version = await app.served.core.handlers['forms.get']({ id: local?.id ?? '' })
    const created = await app.served.core.dispatch('records.create', {
      formVersionId: version.formVersionId,
      instanceName: 'Zainab Okafor household',
      values: { 'head/hh_name': 'Zainab Okafor', 'head/hh_size': 3 },
    })
    if (!created.ok) throw new Error(created.error.message)
    await fillRecord('Esi', 27) // an ordinary record queued behind the refused one

    await page.getByRole('button', { name: 'Sync now' }).first().click()
    const refused = page.getByTestId('sync-rejections')
    await refused.getByText('1 record refused', { exact: true }).waitFor({ timeout: 60_000 })
    await lineState('synced')
    await refused.click()
    const table = page.getByTestId('sync-rejections-table')
    await table.waitFor()
    expect(await table.textContent()).toContain('Zainab Okafor household')
    expect(await table.textContent()).toContain('Household survey')
    expect(await table.textContent()).toContain('This form or record is not open to your office on the registry.')
    await shot('10-refused-record')
    await page.getByRole('combobox', { name: 'Interface language' }).selectOption('fr')
    await page.getByRole('heading', { name: 'Synchronisation avec le registre' }).waitFor()
    expect(await line().textContent()).toContain('1 fiche refusée')
    await shot('11-sync-screen-fr')
    await page.getByRole('combobox', { name: 'Langue de l’interface' }).selectOption('en')
    const { records } = await hq<{ records: HqRecord[] }>('GET', `/v1/hq/records?office=${world.officeId}`)
    expect(records.map((r) => r.values.name).sort()).toEqual(['Amina Bello', 'Esi', 'Kofi'])
  }, 120_000)
})
