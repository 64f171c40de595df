import { describe, expect, it } from 'vitest'
import { formatRecoveryKey, parseRecoveryKey } from '../../../shared/crypto/seal'
import { registryPaths } from '../../../shared/registry-api'
import { createEnrollmentCode } from '../../../registry/domain/devices'
import { makeCore, testSupervisor } from '../../helpers/core'
import { makeTempDir } from '../../helpers/paths'
import { makeOffice, signIn, system, useRegistry } from '../../registry/helpers/harness'

const registry = useRegistry('pglite')

describe('recovery of a laptop whose passwords are all forgotten', () => {
  it('reads a recovery key in any case, with spaces or dashes, and refuses anything else', () => {
    const key = new Uint8Array(32).map((_, i) => i * 7)
    const text = formatRecoveryKey(key)
    expect(text).toMatch(/^([A-Z2-7]{4}-){12}[A-Z2-7]{4}$/)
    expect(parseRecoveryKey(text.toLowerCase().replace(/-/g, ' '))).toEqual(key)
    expect(parseRecoveryKey(`${text}A`)).toBeNull()
    expect(parseRecoveryKey(text.replace(/^./, '1'))).toBeNull()
  })

  it('HQ opens the sealed key from the registry, and it restores access with a new password', async () => {
    const test = registry()
    const temp = makeTempDir('outpost-recovery-')
    const office = await makeOffice(test.db)
    const { code } = await createEnrollmentCode(test.db, system, { office: office.id })

    // The laptop: set up, a record, enrolled. Enrollment seals the data key to the registry's key.
    const laptop = await makeCore({ dataDir: temp.dir })
    const before = await laptop.dispatch('auth.recoveryInfo', {})
    expect(before).toMatchObject({ ok: true, value: { sealedKey: null } })
    const enrolled = await laptop.handlers['sync.enroll']({ registryUrl: test.url, code, deviceName: 'Recovery laptop' })
    await laptop.dispatch('settings.update', { language: 'ar' })
    expect(laptop.auth.status().recoveryAvailable).toBe(true)
    await laptop.close()

    // Months later, every password forgotten. The public call gives what HQ needs.
    const locked = await makeCore({ dataDir: temp.dir, auth: 'none' })
    expect(await locked.dispatch('auth.recoveryInfo', {})).toMatchObject({ ok: true })
    const { deviceId, sealedKey } = await locked.handlers['auth.recoveryInfo']({})
    if (!sealedKey) throw new Error('no sealed key')
    expect(deviceId).toBe(enrolled.deviceId)

    // A viewer at HQ cannot open it; an administrator can.
    const viewer = await signIn(test, 'viewer')
    const refused = await test.call('POST', registryPaths.hqRecovery, { token: viewer, body: { deviceId, sealed: sealedKey } })
    expect(refused.status).toBe(403)
    const admin = await signIn(test, 'admin')
    const opened = await test.call('POST', registryPaths.hqRecovery, { token: admin, body: { deviceId, sealed: sealedKey } })
    expect(opened.status).toBe(200)
    const { recoveryKey } = opened.body as { recoveryKey: string }

    // A wrong key is refused; a right one typed sloppily restores access.
    const wrong = await locked.dispatch('auth.recover', { recoveryKey: formatRecoveryKey(new Uint8Array(32)), username: 'sam', newPassword: 'brand new password' })
    expect(wrong).toMatchObject({ ok: false, error: { code: 'unauthorized' } })
    const notSupervisor = await locked.dispatch('auth.recover', { recoveryKey, username: 'nobody', newPassword: 'brand new password' })
    expect(notSupervisor).toMatchObject({ ok: false, error: { code: 'forbidden' } })
    const recovered = await locked.dispatch('auth.recover', { recoveryKey: ` ${recoveryKey.toLowerCase().replace(/-/g, ' ')} `, username: 'sam', newPassword: 'brand new password' })
    expect(recovered).toMatchObject({ ok: true, value: { locked: false, user: { username: 'sam', role: 'supervisor' } } })
    await expect(locked.dispatch('settings.get', {})).resolves.toEqual({ ok: true, value: { language: 'ar' } })
    await locked.close()

    // The old password no longer opens anything; the new one does.
    const after = await makeCore({ dataDir: temp.dir, auth: 'none' })
    expect(await after.dispatch('auth.login', { username: 'sam', password: testSupervisor.password })).toMatchObject({ ok: false, error: { code: 'unauthorized' } })
    expect(await after.dispatch('auth.login', { username: 'sam', password: 'brand new password' })).toMatchObject({ ok: true })
    await after.close()
    temp.cleanup()
  }, 60_000)
})
