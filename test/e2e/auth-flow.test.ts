import { mkdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openApp, type AppUnderTest } from '../helpers/app'
import { screenshotsDir } from '../helpers/chromium'
import { repoRoot } from '../helpers/paths'

const shotsDir = join(screenshotsDir, 'auth')
const form = readFileSync(join(repoRoot, 'test/fixtures/forms/household.md'))
const supervisor = {
  office: 'Gulu field office',
  name: 'Amina Yusuf',
  username: 'amina',
  password: 'river lamp orange desk',
}
const collector = { name: 'Kofi Mensah', username: 'kofi', password: 'blue mango tree 42' }

let app: AppUnderTest
let page: Page

beforeAll(async () => {
  mkdirSync(shotsDir, { recursive: true })
  app = await openApp('outpost-e2e-auth-', { auth: 'none' })
  page = app.page
})
afterAll(() => app?.close())

const shot = (name: string) =>
  page.screenshot({ path: join(shotsDir, `${name}.png`), fullPage: true })
const field = (label: string) => page.getByLabel(label, { exact: true })
/** Nothing of the app (forms, records, header menus) is in the page while it is locked. */
const appContentCount = () =>
  page.locator('.app, [data-testid="user-menu"], .form-list, .records-screen').count()

async function signIn(username: string, password: string): Promise<void> {
  await field('User name').fill(username)
  await field('Password').fill(password)
  await page.getByRole('button', { name: 'Sign in', exact: true }).click()
}

describe('accounts, roles and the lock screen', () => {
  it('sets up the office, adds a collector who fills but cannot export, locks and unlocks', async () => {
    // First run: the office and its first supervisor.
    await page.getByRole('heading', { name: 'Set up Outpost on this laptop' }).waitFor()
    expect(await appContentCount()).toBe(0)
    await field('Office name').fill(supervisor.office)
    await field('Full name').fill(supervisor.name)
    await field('User name').fill(supervisor.username)
    await field('Password').fill('short')
    await page.getByText('Too short: at least 8 characters.').waitFor()
    await field('Password').fill(supervisor.password)
    await field('Type the password again').fill('something else')
    await page.getByRole('button', { name: 'Create the office and sign in' }).click()
    await page.getByText('The two passwords are not the same.').waitFor()
    await field('Type the password again').fill(supervisor.password)
    await page.getByText('Strong.').waitFor()
    await shot('01-setup')
    await page.getByRole('button', { name: 'Create the office and sign in' }).click()
    await page.getByRole('heading', { name: 'Forms', exact: true }).waitFor()
    await page.getByTestId('user-menu').getByText('Supervisor').waitFor()

    // The supervisor imports a form and adds a collector.
    await page
      .getByTestId('import-input')
      .setInputFiles({ name: 'household.md', mimeType: 'text/markdown', buffer: form })
    await page.getByRole('listitem').filter({ hasText: 'Household survey' }).waitFor()
    await page.getByTestId('user-menu').click()
    await page.getByRole('menuitem', { name: 'Users' }).click()
    await page.getByRole('heading', { name: 'Users', exact: true }).waitFor()
    const add = page.getByRole('form', { name: 'Add a user' })
    await add.getByLabel('Full name').fill(collector.name)
    await add.getByLabel('User name').fill(collector.username)
    await add.getByLabel('Role').selectOption({ label: 'Data collector' })
    await add.getByLabel('First password').fill(collector.password)
    await add.getByRole('button', { name: 'Add user' }).click()
    await page.getByText(`${collector.name} can now sign in as “${collector.username}”.`).waitFor()
    const row = page.locator(`tr[data-username="${collector.username}"]`)
    expect(
      await row.getByRole('combobox', { name: `Role of ${collector.name}` }).inputValue(),
    ).toBe('collector')
    await shot('02-users')

    // The menu (arrow keys, Escape) and the change-password dialog, which shows the core's refusal.
    await page.getByTestId('user-menu').click()
    await page.getByRole('menuitem', { name: 'Users' }).waitFor()
    await page.keyboard.press('End')
    await page.keyboard.press('ArrowUp')
    await shot('02b-user-menu')
    await page.keyboard.press('Enter') // "Change password", the item above "Lock now"
    const dialog = page.getByRole('dialog', { name: 'Change your password' })
    await dialog.getByLabel('Current password').fill('not the password')
    await dialog.getByLabel('New password').fill('a brand new passphrase')
    await dialog.getByLabel('Type the password again').fill('a brand new passphrase')
    await dialog.getByRole('button', { name: 'Change password' }).click()
    await dialog
      .getByRole('alert')
      .getByText('The current password is not right, so nothing was changed.')
      .waitFor()
    await shot('02c-change-password-refused')
    await dialog.getByRole('button', { name: 'Cancel' }).click()
    await dialog.waitFor({ state: 'detached' })

    // How long the laptop stays open unattended; the users screen also reads right to left.
    await field('Lock this laptop after').fill('10')
    await page
      .getByRole('form', { name: 'Automatic lock' })
      .getByRole('button', { name: 'Save' })
      .click()
    await page.getByText('Saved: it locks after 10 minutes.').waitFor()
    expect((await app.served.core.handlers['auth.status']({})).idleLockMinutes).toBe(10)
    await page.getByRole('combobox', { name: 'Interface language' }).selectOption('ar')
    await page.getByRole('heading', { name: 'المستخدمون' }).waitFor()
    await shot('02d-users-arabic')
    await page.getByRole('combobox', { name: 'لغة الواجهة' }).selectOption('en')
    await page.getByRole('heading', { name: 'Users', exact: true }).waitFor()

    // Lock with the button: the app leaves the page, the lock screen names who locked it.
    await page.getByRole('button', { name: 'Lock', exact: true }).click()
    await page.getByRole('heading', { name: 'Outpost is locked' }).waitFor()
    await page
      .getByTestId('locked-by')
      .getByText(`Locked by ${supervisor.name} (Supervisor)`)
      .waitFor()
    expect(await appContentCount()).toBe(0)
    expect(await page.content()).not.toContain('Household survey')
    await shot('03-locked-by-supervisor')

    // Switch user: the collector signs in (after one wrong password).
    await page.getByRole('button', { name: 'Switch user' }).click()
    await signIn(collector.username, 'not my password')
    await page.getByRole('alert').getByText('That user name and password do not match.').waitFor()
    await shot('04-wrong-password')
    await signIn(collector.username, collector.password)
    await page.getByRole('heading', { name: 'Forms', exact: true }).waitFor()
    await page.getByTestId('user-menu').getByText('Data collector').waitFor()
    expect(await page.getByTestId('import-input').count()).toBe(0) // only supervisors import forms
    await page.getByTestId('user-menu').click()
    expect(await page.getByRole('menuitem', { name: 'Users' }).count()).toBe(0)
    await page.keyboard.press('Escape')

    // The collector fills a record.
    await page.getByRole('button', { name: 'New record for Household survey' }).click()
    await page.getByRole('heading', { name: 'Household survey' }).waitFor()
    await page.keyboard.type('Esi Boateng')
    await page.keyboard.press('Enter')
    await page.keyboard.type('4')
    await page.keyboard.press('Enter')
    await page.locator('[data-testid="save-state"][data-state="saved"]').waitFor()
    await page.getByRole('button', { name: 'Save draft and close' }).click()
    await page.getByRole('table').getByText('Esi Boateng household').waitFor()

    // Export: no button for a collector, and the core refuses a direct call.
    expect(await page.getByRole('button', { name: 'Export…' }).count()).toBe(0)
    await shot('05-collector-records')
    const formId = (await app.served.core.handlers['forms.list']({}))[0]?.id ?? ''
    const refused = await page.evaluate(
      (id) =>
        (
          globalThis as unknown as {
            outpost: {
              invoke: (
                n: string,
                i: unknown,
              ) => Promise<{ ok: boolean; error?: { code: string; message: string } }>
            }
          }
        ).outpost.invoke('records.export', {
          formId: id,
          format: 'csv',
          outputPath: '/tmp/outpost-should-not-exist.csv',
        }),
      formId,
    )
    expect(refused.ok).toBe(false)
    expect(refused.error?.code).toBe('forbidden')
    expect(refused.error?.message).toMatch(/export/i)

    // Ctrl+L locks from anywhere, even mid-answer: what was typed is saved before the core locks.
    await page.getByRole('button', { name: 'New record', exact: true }).click()
    await page.getByRole('heading', { name: 'Household survey' }).waitFor()
    await page.keyboard.type('Kwame Asante')
    await page.keyboard.press('Control+l')
    await page.getByRole('heading', { name: 'Outpost is locked' }).waitFor()
    await page
      .getByTestId('locked-by')
      .getByText(`Locked by ${collector.name} (Data collector)`)
      .waitFor()
    expect(await appContentCount()).toBe(0)
    expect(await page.content()).not.toContain('Esi Boateng')
    expect(await page.content()).not.toContain('Kwame Asante')
    await shot('06-locked-by-collector')
    await field('Password').fill(collector.password)
    await page.getByRole('button', { name: 'Unlock', exact: true }).click()
    // Back at the form's records, with the answer typed just before the lock kept in a draft.
    await page.getByRole('table').getByText('Kwame Asante household').waitFor()
    await page.getByRole('table').getByText('Esi Boateng household').waitFor()
    await shot('07-unlocked')
    expect(app.cspViolations).toEqual([])
  }, 120_000) // a dozen Argon2 derivations at the app's real cost, on a shared machine

  it('shows the sign-in screen right to left in Arabic, and the recovery details for HQ', async () => {
    await page.keyboard.press('Control+l')
    await page.getByRole('button', { name: 'Switch user' }).click()
    await page.getByRole('heading', { name: 'Sign in', exact: true }).waitFor()
    await page.getByRole('combobox', { name: 'Interface language' }).selectOption('ar')
    await page.getByRole('heading', { name: 'تسجيل الدخول' }).waitFor()
    expect(
      await page.evaluate(
        () => (globalThis as unknown as { document: { dir: string } }).document.dir,
      ),
    ).toBe('rtl')
    await shot('08-login-arabic')
    await page.getByRole('combobox').selectOption('en')
    await page.getByRole('button', { name: 'Forgot your password?' }).click()
    await page.getByRole('heading', { name: 'Recover access with HQ' }).waitFor()
    const deviceId = await page.getByTestId('recovery-device').inputValue()
    expect(deviceId.length).toBeGreaterThan(8)
    await shot('09-recovery')
    expect(app.cspViolations).toEqual([])
  })

  it('counts down the wait after repeated wrong passwords, with the button off until then', async () => {
    await page.getByRole('button', { name: 'Back to sign-in' }).click()
    await page.getByRole('button', { name: 'Switch user' }).click()
    const wait = page.getByTestId('retry-wait')
    // The waits double (1 s, 2 s, 4 s…): keep trying until one attempt lands inside a wait.
    for (let attempt = 0; attempt < 10 && (await wait.count()) === 0; attempt++) {
      await signIn('intruder', `guess ${attempt}`)
      await page.getByRole('alert').waitFor()
      await expect.poll(() => field('Password').inputValue()).toBe('') // cleared once the core answered
    }
    await wait.getByText(/Too many wrong passwords\. You can try again in \d+ seconds?\./).waitFor()
    expect(await page.getByRole('button', { name: 'Sign in', exact: true }).isDisabled()).toBe(true)
    await shot('10-retry-countdown')
    await wait.getByText('You can try again now.').waitFor()
    expect(await page.getByRole('button', { name: 'Sign in', exact: true }).isDisabled()).toBe(
      false,
    )
  })
})
