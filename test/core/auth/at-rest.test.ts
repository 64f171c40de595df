import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { isPlainDatabase } from '../../../electron/core/auth/encrypt-folder'
import { openAttachment } from '../../../electron/core/records/attachments'
import { testSupervisor } from '../../helpers/core'
import { makeRecordsCore, type RecordsCore } from '../records/setup'

// Words typed into a record that must never appear in a file on disk.
const typedName = 'Nakato-Zawadi-Kibirige-7731'
const photoText = 'PHOTO-OF-BIRTH-CERTIFICATE-NAKATO-0042'

let core: RecordsCore
beforeAll(async () => {
  core = await makeRecordsCore()
  const record = await core.call('records.create', { formVersionId: core.versionId, values: { hh_name: typedName } })
  await core.call('records.update', { id: record.id, changes: [{ path: 'members', value: [{ name: `${typedName} junior`, crops: ['maize'] }] }] })
  await core.call('records.addAttachment', {
    recordId: record.id,
    fieldPath: 'photo',
    fileName: 'certificate.jpg',
    mediaType: 'image/jpeg',
    contentBase64: Buffer.from(photoText.repeat(50)).toString('base64'),
  })
})
afterAll(() => core.dispose())

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name))
}

const needles = [typedName, photoText, 'Nakato', testSupervisor.password].flatMap((text) => [
  Buffer.from(text, 'utf8'),
  Buffer.from(text, 'utf16le'),
])

describe('encryption at rest', () => {
  it('the database, its -wal and every attachment contain none of the typed text', () => {
    const files = filesUnder(core.dataDir)
    expect(files.some((f) => f.endsWith('outpost.db-wal') && statSync(f).size > 0)).toBe(true)
    expect(files.filter((f) => f.includes(`${join('attachments', '')}`))).toHaveLength(1)
    for (const file of files) {
      const bytes = readFileSync(file)
      for (const needle of needles) expect(bytes.includes(needle), `${file} holds "${needle.toString()}"`).toBe(false)
    }
    expect(isPlainDatabase(join(core.dataDir, 'outpost.db'))).toBe(false)
  })

  it('still reads everything back through the core, and the attachment by its plaintext hash', async () => {
    const found = await core.call('records.search', { query: 'Nakato' })
    expect(found.rows).toHaveLength(1)
    const detail = await core.call('records.get', { id: found.rows[0]?.id ?? '' })
    const sha = detail.attachments[0]?.sha256 ?? ''
    const reader = await openAttachment(core.dataDir, sha)
    expect((await reader.readAll()).toString()).toBe(photoText.repeat(50))
    await reader.close()
  })

  it('keeps no secret in the keyring: neither the password nor the data key', () => {
    const keyring = readFileSync(join(core.dataDir, 'keyring.json'), 'utf8')
    expect(keyring).not.toContain(testSupervisor.password)
    expect(statSync(join(core.dataDir, 'keyring.json')).mode & 0o777).toBe(0o600)
    expect(JSON.parse(keyring)).toMatchObject({ version: 1, keychain: null, recovery: null, users: [{ username: 'sam', kdf: { algorithm: 'argon2id' } }] })
  })
})
