import { randomBytes } from 'node:crypto'
import { open, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { blobChunkBytes, encryptedSize, readerFor, writeEncrypted } from '../../../electron/core/records/blob-crypto'
import { makeTempDir } from '../../helpers/paths'

const temp = makeTempDir('outpost-blob-')
afterAll(() => temp.cleanup())
const key = randomBytes(32)

async function encryptTo(name: string, bytes: Uint8Array): Promise<string> {
  const file = join(temp.dir, name)
  const handle = await open(file, 'w')
  await writeEncrypted(handle, key, bytes)
  await handle.close()
  return file
}

const readAll = async (file: string, withKey = key) => {
  const reader = await readerFor(await open(file, 'r'), withKey)
  try {
    return await reader.readAll()
  } finally {
    await reader.close()
  }
}

describe('attachment files encrypted in chunks', () => {
  it('gives back the exact bytes, whole and from any offset, for sizes around the chunk edges', async () => {
    for (const size of [0, 1, blobChunkBytes - 1, blobChunkBytes, blobChunkBytes + 1, 3 * blobChunkBytes + 17]) {
      const bytes = randomBytes(size)
      const file = await encryptTo(`s${size}`, bytes)
      expect((await readFile(file)).length).toBe(encryptedSize(size))
      expect((await readAll(file)).equals(bytes)).toBe(true)
      const reader = await readerFor(await open(file, 'r'), key)
      for (let i = 0; i < 20; i++) {
        const offset = Math.floor(Math.random() * (size + 1))
        const length = Math.floor(Math.random() * (2 * blobChunkBytes))
        expect((await reader.read(offset, length)).equals(bytes.subarray(offset, offset + length))).toBe(true)
      }
      await reader.close()
    }
  })

  it('stores none of the plaintext', async () => {
    const secret = Buffer.from('Akello Grace, born 2014, Pader district. '.repeat(2000))
    const file = await encryptTo('secret', secret)
    const disk = await readFile(file)
    expect(disk.includes(Buffer.from('Akello Grace'))).toBe(false)
  })

  it('refuses a wrong key, a flipped bit, a truncated file and an appended chunk', async () => {
    const bytes = randomBytes(2 * blobChunkBytes + 5)
    const file = await encryptTo('tamper', bytes)
    await expect(readAll(file, randomBytes(32))).rejects.toMatchObject({ code: 'internal' })
    const original = await readFile(file)

    const flipped = Buffer.from(original)
    flipped[flipped.length - 40] = (flipped[flipped.length - 40] ?? 0) ^ 1
    await writeFile(file, flipped)
    await expect(readAll(file)).rejects.toThrow(/damaged or was changed/)

    await writeFile(file, original.subarray(0, original.length - 100))
    await expect(readAll(file)).rejects.toMatchObject({ code: 'internal' })

    // Dropping the last chunk and declaring the shorter size: the new last chunk was not written as last.
    const header = Buffer.from(original.subarray(0, 36))
    header.writeBigUInt64BE(BigInt(2 * blobChunkBytes), 12)
    await writeFile(file, Buffer.concat([header, original.subarray(36, 36 + 2 * (blobChunkBytes + 16))]))
    await expect(readAll(file)).rejects.toMatchObject({ code: 'internal' })
  })
})
