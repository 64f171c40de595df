import { randomBytes } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { refusalReasonOf } from '../../shared/packages/refusal'
import type { RefusalReason } from '../../shared/packages/format'
import { headerLayout } from '../../shared/packages/format'
import { attachment, readAll, registryReader, sampleOps, testKeys, writeToBuffer } from './helpers'

async function reason(promise: Promise<unknown>): Promise<RefusalReason | null | 'accepted'> {
  try {
    await promise
    return 'accepted'
  } catch (error) {
    return refusalReasonOf(error)
  }
}

describe('the package format', () => {
  const keys = testKeys()
  const files = [attachment(randomBytes(5000)), attachment(new Uint8Array(0)), attachment(randomBytes(1024))]

  it('reads back the manifest, every entry and every attachment it wrote', async () => {
    const ops = sampleOps(40)
    const bytes = await writeToBuffer(keys, ops, files)
    const read = await readAll(bytes, registryReader(keys))
    expect(read.entries).toEqual(ops)
    expect(read.attachments).toEqual(files.map((f) => f.info.sha256))
    expect(read.manifest.counts).toMatchObject({ ops: 40, records: 1, attachments: 3, attachmentBytes: 6024 })
  })

  it('keeps the content secret: no entry text appears in the file', async () => {
    const bytes = Buffer.from(await writeToBuffer(keys, sampleOps(5)))
    expect(bytes.includes('value 3')).toBe(false)
    expect(bytes.includes('field_')).toBe(false)
  })

  it('refuses a file cut at a chunk boundary, inside a chunk, or inside the header as truncated', async () => {
    const bytes = await writeToBuffer(keys, sampleOps(40), files)
    const boundary = headerLayout.size + 3 * (1024 + 16)
    for (const end of [boundary, boundary + 100, bytes.length - 1, 30])
      expect(await reason(readAll(bytes.subarray(0, end), registryReader(keys)))).toBe('truncated')
  })

  it('refuses chunks swapped, a byte flipped or bytes appended as damaged', async () => {
    const bytes = await writeToBuffer(keys, sampleOps(40), files)
    const swapped = Buffer.from(bytes)
    const a = headerLayout.size + 1040
    Buffer.from(bytes.subarray(a, a + 1040)).copy(swapped, a + 1040)
    Buffer.from(bytes.subarray(a + 1040, a + 2080)).copy(swapped, a)
    expect(await reason(readAll(swapped, registryReader(keys)))).toBe('damaged')
    const flipped = Buffer.from(bytes)
    flipped[2000] = (flipped[2000] ?? 0) ^ 1
    expect(await reason(readAll(flipped, registryReader(keys)))).toBe('damaged')
    expect(await reason(readAll(Buffer.concat([bytes, Buffer.from([0])]), registryReader(keys)))).toBe('damaged')
  })

  it('refuses another destination, another signer and a newer format', async () => {
    const bytes = await writeToBuffer(keys, sampleOps(3))
    const other = testKeys()
    expect(await reason(readAll(bytes, registryReader(other, () => keys.device.public)))).toBe('wrong_destination')
    expect(await reason(readAll(bytes, registryReader(keys, () => other.device.public)))).toBe('bad_signature')
    const newer = Buffer.from(bytes)
    newer.writeUInt16BE(2, headerLayout.format)
    expect(await reason(readAll(newer, registryReader(keys)))).toBe('format_newer')
    expect(await reason(readAll(Buffer.from('hello, not a package at all, really not one of them'.repeat(3)), registryReader(keys)))).toBe('not_a_package')
  })
})
