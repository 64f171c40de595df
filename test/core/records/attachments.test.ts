import { createHash } from 'node:crypto'
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { attachmentPath, openAttachment } from '../../../electron/core/records/attachments'
import { makeRecordsCore, type RecordsCore } from './setup'

let core: RecordsCore
beforeEach(async () => {
  core = await makeRecordsCore()
})
afterEach(() => core.dispose())

const sha = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex')

describe('attachments', () => {
  it('stores the bytes content-addressed beside the database and lists them on the record', async () => {
    const { id } = await core.call('records.create', { formVersionId: core.versionId, values: {} })
    const bytes = Buffer.from('a photo of a goat')
    const added = await core.call('records.addAttachment', { recordId: id, fieldPath: 'photo', fileName: 'goat.jpg', mediaType: 'image/jpeg', contentBase64: bytes.toString('base64') })
    expect(added).toMatchObject({ fieldPath: 'photo', fileName: 'goat.jpg', mediaType: 'image/jpeg', size: bytes.length, sha256: sha(bytes) })
    const file = attachmentPath(core.dataDir, sha(bytes))
    expect(file).toBe(join(core.dataDir, 'attachments', sha(bytes).slice(0, 2), sha(bytes).slice(2, 4), sha(bytes)))
    // Encrypted on disk, the plaintext through the one reader sync and packages use.
    expect(readFileSync(file).includes(bytes)).toBe(false)
    const reader = await openAttachment(core.dataDir, sha(bytes))
    expect(await reader.readAll()).toEqual(bytes)
    await reader.close()
    const record = await core.call('records.get', { id })
    expect(record.values.photo).toBe('goat.jpg')
    expect(record.attachments).toEqual([added])
    const history = await core.call('records.history', { id })
    expect(history.entries.at(-1)).toMatchObject({ kind: 'set', path: 'photo', after: 'goat.jpg' })
  })

  it('keeps one file for identical content and one row per reference, with no temp files left', async () => {
    const a = await core.call('records.create', { formVersionId: core.versionId, values: {} })
    const b = await core.call('records.create', { formVersionId: core.versionId, values: {} })
    const content = Buffer.from('same bytes').toString('base64')
    const first = await core.call('records.addAttachment', { recordId: a.id, fieldPath: 'p', fileName: 'one.bin', contentBase64: content })
    const second = await core.call('records.addAttachment', { recordId: b.id, fieldPath: 'p', fileName: 'two.bin', contentBase64: content })
    expect(second.sha256).toBe(first.sha256)
    expect(second.id).not.toBe(first.id)
    expect(readdirSync(dirname(attachmentPath(core.dataDir, first.sha256)))).toEqual([first.sha256])
    expect(await core.store.db.selectFrom('attachments').select('id').execute()).toHaveLength(2)
  })

  it('writes nothing for a record that cannot take it', async () => {
    const { id } = await core.call('records.create', { formVersionId: core.versionId, values: {} })
    await core.call('records.delete', { id })
    await core.refuse('records.addAttachment', { recordId: id, fieldPath: 'p', fileName: 'x.bin', contentBase64: 'AAAA' })
    expect(existsSync(join(core.dataDir, 'attachments'))).toBe(false)
  })
})

describe('attachment read-back (records.readAttachment)', () => {
  it('returns the decrypted bytes of a record’s file, and refuses another record’s file, a missing file and bad input', async () => {
    const a = await core.call('records.create', { formVersionId: core.versionId, values: {} })
    const b = await core.call('records.create', { formVersionId: core.versionId, values: {} })
    const bytes = Buffer.from(Array.from({ length: 200_000 }, (_, i) => (i * 31) % 256)) // several chunks
    const added = await core.call('records.addAttachment', { recordId: a.id, fieldPath: 'photo', fileName: 'goat.png', mediaType: 'image/png', contentBase64: bytes.toString('base64') })
    const read = await core.call('records.readAttachment', { recordId: a.id, attachmentId: added.id })
    expect(read).toMatchObject({ ...added })
    expect(Buffer.from(read.contentBase64, 'base64').equals(bytes)).toBe(true)
    // The id of a's file asked for through b: not found, nothing read.
    expect((await core.refuse('records.readAttachment', { recordId: b.id, attachmentId: added.id })).code).toBe('not_found')
    expect((await core.refuse('records.readAttachment', { recordId: a.id } as never)).code).toBe('validation')
    rmSync(attachmentPath(core.dataDir, added.sha256))
    const missing = await core.refuse('records.readAttachment', { recordId: a.id, attachmentId: added.id })
    expect(missing.code).toBe('not_found')
    expect(missing.message).toContain('goat.png')
  })

  it('refuses a file altered on disk instead of returning altered bytes', async () => {
    const { id } = await core.call('records.create', { formVersionId: core.versionId, values: {} })
    const added = await core.call('records.addAttachment', { recordId: id, fieldPath: 'doc', fileName: 'a.pdf', mediaType: 'application/pdf', contentBase64: Buffer.from('%PDF-1.4 tiny').toString('base64') })
    const file = attachmentPath(core.dataDir, added.sha256)
    const altered = readFileSync(file)
    altered.writeUInt8(altered.readUInt8(altered.length - 1) ^ 1, altered.length - 1)
    writeFileSync(file, altered)
    const result = await core.dispatch('records.readAttachment', { recordId: id, attachmentId: added.id })
    expect(result.ok).toBe(false)
  })
})
