import { readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { CallInput, CallName, CallOutput } from '../../../shared/api'
import { makeCore, testSupervisor, type TestCore } from '../../helpers/core'
import { makeTempDir } from '../../helpers/paths'

const cores: TestCore[] = []
const temps: (() => void)[] = []
afterEach(async () => {
  for (const core of cores.splice(0)) await core.close()
  for (const cleanup of temps.splice(0)) cleanup()
})

/** A core over a folder that outlives it, so a test can "restart the laptop". */
async function coreIn(dir: string, extra: Parameters<typeof makeCore>[0] = {}): Promise<TestCore> {
  const core = await makeCore({ dataDir: dir, ...extra })
  cores.push(core)
  return core
}
function folder(): string {
  const temp = makeTempDir('outpost-auth-')
  temps.push(temp.cleanup)
  return temp.dir
}
async function ok<K extends CallName>(core: TestCore, name: K, input: CallInput<K>): Promise<CallOutput<K>> {
  const result = await core.dispatch(name, input)
  if (!result.ok) throw new Error(`${name}: ${result.error.code} ${result.error.message}`)
  return result.value as CallOutput<K>
}
async function refused<K extends CallName>(core: TestCore, name: K, input: CallInput<K>) {
  const result = await core.dispatch(name, input)
  if (result.ok) throw new Error(`${name} was expected to be refused`)
  return result.error
}

describe('first run, sign-in and lock', () => {
  it('shows first-run setup on a fresh laptop, and only public calls work before it', async () => {
    const core = await coreIn(folder(), { auth: 'none' })
    expect(await ok(core, 'auth.status', {})).toMatchObject({ setupDone: false, locked: false, user: null, encrypted: true })
    expect(await refused(core, 'records.search', { query: 'x' })).toMatchObject({ code: 'unauthorized', message: 'Sign in to continue.' })
    expect(await refused(core, 'users.list', {})).toMatchObject({ code: 'unauthorized' })
    const status = await ok(core, 'auth.setup', { ...testSupervisor })
    expect(status).toMatchObject({ setupDone: true, locked: false, officeName: 'Gulu field office', user: { username: 'sam', role: 'supervisor' } })
    expect(await refused(core, 'auth.setup', { ...testSupervisor })).toMatchObject({ code: 'conflict' })
  })

  it('a wrong password opens nothing; the right one after a restart opens the same data', async () => {
    const dir = folder()
    const first = await coreIn(dir)
    await ok(first, 'settings.update', { language: 'fr' })
    await first.close()

    const events: unknown[] = []
    const second = await coreIn(dir, { auth: 'none' })
    second.events.subscribe((event) => events.push(event))
    expect(await ok(second, 'auth.status', {})).toMatchObject({ setupDone: true, locked: true, user: null })
    expect(await refused(second, 'auth.login', { username: 'sam', password: 'wrong password' })).toEqual({
      code: 'unauthorized',
      message: 'That user name and password do not match.',
    })
    expect(await refused(second, 'auth.login', { username: 'nobody', password: testSupervisor.password })).toMatchObject({ code: 'unauthorized' })
    expect(() => second.store).toThrow(/Sign in/)
    expect(await refused(second, 'settings.update', { language: 'en' })).toMatchObject({ code: 'unauthorized' })

    await ok(second, 'auth.login', { username: 'SAM ', password: testSupervisor.password })
    expect(await ok(second, 'settings.get', {})).toEqual({ language: 'fr' })
    const changes = events as { name: string; payload: { locked: boolean; user: { username: string } | null } }[]
    expect(changes.some((e) => e.name === 'auth.changed' && !e.payload.locked && e.payload.user?.username === 'sam')).toBe(true)
  })

  it('locks on demand and after the idle minutes, counted in the core', async () => {
    let clock = 1_000_000
    const core = await coreIn(folder(), { now: () => clock })
    await ok(core, 'auth.configure', { idleLockMinutes: 5 })
    const locked = await ok(core, 'auth.lock', {})
    expect(locked).toMatchObject({ locked: true, user: null })
    expect(await refused(core, 'forms.list', {})).toMatchObject({ code: 'unauthorized' })
    await ok(core, 'auth.login', { username: 'sam', password: testSupervisor.password })

    clock += 4 * 60_000
    await ok(core, 'forms.list', {}) // activity: the 5 minutes start again
    clock += 4 * 60_000
    await ok(core, 'auth.status', {}) // a status poll is not activity
    await ok(core, 'forms.list', {})
    clock += 5 * 60_000
    expect(await refused(core, 'forms.list', {})).toMatchObject({ code: 'unauthorized' })
    expect(await ok(core, 'auth.status', {})).toMatchObject({ locked: true, idleLockMinutes: 5 })
  })

  it('keeps a reader signed in while the screen reports activity, and only then', async () => {
    let clock = 1_000_000
    const core = await coreIn(folder(), { now: () => clock })
    await ok(core, 'auth.configure', { idleLockMinutes: 5 })
    // Twenty minutes of reading: no calls but the renderer's activity report every minute.
    for (let minute = 0; minute < 20; minute++) {
      clock += 60_000
      expect(await ok(core, 'auth.activity', {})).toMatchObject({ locked: false })
    }
    await ok(core, 'forms.list', {})
    // Silence past the limit: the core locks, and a late report does not wake it.
    clock += 5 * 60_000
    expect(await ok(core, 'auth.activity', {})).toMatchObject({ locked: true, user: null })
    expect(await refused(core, 'forms.list', {})).toMatchObject({ code: 'unauthorized' })
  })

  it('backs off after repeated failures, per user name, and a restart does not reset it', async () => {
    let clock = 5_000_000
    const dir = folder()
    const core = await coreIn(dir, { now: () => clock })
    await ok(core, 'auth.lock', {})
    for (let i = 0; i < 3; i++) {
      expect(await refused(core, 'auth.login', { username: 'sam', password: `guess ${i}` })).toMatchObject({ code: 'unauthorized' })
    }
    const waiting = await refused(core, 'auth.login', { username: 'sam', password: testSupervisor.password })
    expect(waiting).toMatchObject({ code: 'rate_limited', details: { retryAfterMs: 1000 } })
    await core.close()

    const restarted = await coreIn(dir, { auth: 'none', now: () => clock })
    expect(await refused(restarted, 'auth.login', { username: 'sam', password: testSupervisor.password })).toMatchObject({ code: 'rate_limited' })
    clock += 1000
    expect(await refused(restarted, 'auth.login', { username: 'sam', password: 'guess 4' })).toMatchObject({ code: 'unauthorized' })
    expect(await refused(restarted, 'auth.login', { username: 'sam', password: testSupervisor.password })).toMatchObject({
      code: 'rate_limited',
      details: { retryAfterMs: 2000 },
    })
    clock += 2000
    await ok(restarted, 'auth.login', { username: 'sam', password: testSupervisor.password })
    // Success clears the count.
    await ok(restarted, 'auth.lock', {})
    expect(await refused(restarted, 'auth.login', { username: 'sam', password: 'typo' })).toMatchObject({ code: 'unauthorized' })
  })

  it('changes a password: the old one stops working, the new one opens the data', async () => {
    const dir = folder()
    const core = await coreIn(dir)
    expect(await refused(core, 'auth.changePassword', { currentPassword: 'not it', newPassword: 'a new long password' })).toMatchObject({ code: 'unauthorized' })
    await ok(core, 'auth.changePassword', { currentPassword: testSupervisor.password, newPassword: 'a new long password' })
    await core.close()
    const again = await coreIn(dir, { auth: 'none' })
    expect(await refused(again, 'auth.login', { username: 'sam', password: testSupervisor.password })).toMatchObject({ code: 'unauthorized' })
    await ok(again, 'auth.login', { username: 'sam', password: 'a new long password' })
  })
})

describe('the keychain wrap (the app)', () => {
  it('opens the store at start while locked, so sync can run; calls still need a sign-in', async () => {
    // A stand-in for safeStorage: reversible, and it refuses once "the keychain" is gone.
    let available = true
    const keychain = {
      isEncryptionAvailable: () => available,
      encryptString: (text: string) => Buffer.from(`kc:${text}`),
      decryptString: (data: Buffer) => data.toString().replace(/^kc:/, ''),
    }
    const dir = folder()
    const first = await coreIn(dir, { keychain })
    await ok(first, 'settings.update', { language: 'fr' })
    await first.close()

    const restarted = await coreIn(dir, { auth: 'none', keychain })
    expect(restarted.auth.status()).toMatchObject({ locked: true, user: null })
    expect((await restarted.store.db.selectFrom('settings').selectAll().execute()).length).toBe(1)
    expect(await refused(restarted, 'settings.update', { language: 'en' })).toMatchObject({ code: 'unauthorized' })
    await restarted.close()

    available = false
    const noKeychain = await coreIn(dir, { auth: 'none', keychain })
    expect(() => noKeychain.store).toThrow(/Sign in/)
    await ok(noKeychain, 'auth.login', { username: 'sam', password: testSupervisor.password })
  })
})

describe('users', () => {
  it('a supervisor adds users who can then sign in with their own password and role', async () => {
    const core = await coreIn(folder())
    const amina = await ok(core, 'users.create', { username: 'amina', displayName: 'Amina Collector', role: 'collector', password: 'amina password 1' })
    expect(amina).toMatchObject({ username: 'amina', role: 'collector', disabled: false })
    expect(await refused(core, 'users.create', { username: 'amina', displayName: 'Again', role: 'clerk', password: 'whatever 123' })).toMatchObject({ code: 'conflict' })
    expect((await ok(core, 'users.list', {})).map((u) => u.username)).toEqual(['amina', 'sam'])
    await ok(core, 'auth.lock', {})
    expect(await ok(core, 'auth.login', { username: 'amina', password: 'amina password 1' })).toMatchObject({ user: { role: 'collector' } })
  })

  it('never demotes or disables the last active supervisor', async () => {
    const core = await coreIn(folder())
    const sam = core.auth.currentUser()
    if (!sam) throw new Error('not signed in')
    const lead = await ok(core, 'users.create', { username: 'lead', displayName: 'Second Lead', role: 'supervisor', password: 'lead password 1' })
    expect(await refused(core, 'users.update', { id: sam.id, disabled: true })).toMatchObject({ code: 'validation' })
    await ok(core, 'users.update', { id: lead.id, role: 'collector' })
    const last = await refused(core, 'users.update', { id: sam.id, role: 'clerk' })
    expect(last.code).toBe('conflict')
    expect(last.message).toContain('last active supervisor')
    await ok(core, 'users.update', { id: lead.id, role: 'supervisor' })
    await ok(core, 'users.update', { id: sam.id, role: 'clerk' }) // allowed now: lead is a supervisor
    expect(await ok(core, 'auth.status', {})).toMatchObject({ user: { role: 'clerk' } })
    expect(await refused(core, 'users.list', {})).toMatchObject({ code: 'forbidden' })
  })

  it('a turned-off account cannot sign in, and needs a new password to come back', async () => {
    const core = await coreIn(folder())
    const joe = await ok(core, 'users.create', { username: 'joe', displayName: 'Joe Clerk', role: 'clerk', password: 'joe password 12' })
    await ok(core, 'users.update', { id: joe.id, disabled: true })
    expect(await refused(core, 'users.update', { id: joe.id, disabled: false })).toMatchObject({ code: 'validation' })
    await ok(core, 'auth.lock', {})
    expect(await refused(core, 'auth.login', { username: 'joe', password: 'joe password 12' })).toMatchObject({ code: 'unauthorized' })
    await ok(core, 'auth.login', { username: 'sam', password: testSupervisor.password })
    await ok(core, 'users.update', { id: joe.id, disabled: false, password: 'joe password 34' })
    await ok(core, 'auth.lock', {})
    await ok(core, 'auth.login', { username: 'joe', password: 'joe password 34' })
  })
})

describe('the keyring on disk', () => {
  it('survives a damaged or deleted keyring.json through its copy, and repairs it', async () => {
    const dir = folder()
    const first = await coreIn(dir)
    await ok(first, 'users.create', { username: 'amina', displayName: 'Amina', role: 'collector', password: 'collector password 1' })
    const written = readFileSync(join(dir, 'keyring.json'), 'utf8')
    expect(readFileSync(join(dir, 'keyring.backup.json'), 'utf8')).toBe(written)
    expect(statSync(join(dir, 'keyring.backup.json')).mode & 0o777).toBe(0o600)
    await first.close()
    cores.splice(cores.indexOf(first), 1)

    writeFileSync(join(dir, 'keyring.json'), written.slice(0, written.length / 2)) // a torn or bad sector
    const second = await coreIn(dir, { auth: 'none' })
    await ok(second, 'auth.login', { username: 'amina', password: 'collector password 1' })
    expect(readFileSync(join(dir, 'keyring.json'), 'utf8')).toBe(written)
    await second.close()
    cores.splice(cores.indexOf(second), 1)

    rmSync(join(dir, 'keyring.json'))
    const third = await coreIn(dir, { auth: 'none' })
    expect(await ok(third, 'auth.status', {})).toMatchObject({ setupDone: true })
    await ok(third, 'auth.login', { username: 'sam', password: testSupervisor.password })
    await third.close()
    cores.splice(cores.indexOf(third), 1)

    writeFileSync(join(dir, 'keyring.json'), '{')
    writeFileSync(join(dir, 'keyring.backup.json'), 'not json')
    await expect(makeCore({ dataDir: dir, auth: 'none' })).rejects.toThrow(/keyring\.json\) and its copy are damaged/)
  })
})
