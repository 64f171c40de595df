import { createHash } from 'node:crypto'
import { createReadStream } from 'node:fs'
import { mkdir, open, rename, rm } from 'node:fs/promises'
import { dirname } from 'node:path'
import { AppFailure } from '../../../shared/errors'
import type { PackageAttachment } from '../../../shared/packages/format'
import type { HashFactory } from '../../../shared/packages/writer'
import { openAttachment } from '../records/attachments'

/** Node's native SHA-256, for the package writer and reader. */
export const nodeSha256: HashFactory = () => createHash('sha256')

/** A package file as a stream of pieces: never read whole. */
export async function* fileSource(path: string): AsyncIterable<Uint8Array> {
  const stream = createReadStream(path, { highWaterMark: 1024 * 1024 })
  try {
    for await (const piece of stream) yield new Uint8Array(piece as Buffer)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT')
      throw new AppFailure('not_found', `There is no file at "${path}". Check the path and that the USB stick is connected.`)
    throw error
  }
}

/**
 * The plaintext of an attachment, in pieces. The one place packages read attachment bytes:
 * through the attachments module, which decrypts the file kept at rest.
 */
export async function* attachmentSource(dataDir: string, attachment: PackageAttachment): AsyncIterable<Uint8Array> {
  const reader = await openAttachment(dataDir, attachment.sha256)
  try {
    const piece = 1024 * 1024
    for (let offset = 0; offset < reader.size; offset += piece)
      yield new Uint8Array(await reader.read(offset, Math.min(piece, reader.size - offset)))
  } finally {
    await reader.close()
  }
}

/**
 * Writes a package to `path` through a `.partial` file renamed at the end, so an interrupted
 * export never leaves something that looks like a complete package.
 */
export async function withPackageFile<T>(
  path: string,
  write: (sink: (bytes: Uint8Array) => Promise<void>) => Promise<T>,
): Promise<T> {
  const partial = `${path}.partial`
  let handle
  try {
    await mkdir(dirname(path), { recursive: true })
    handle = await open(partial, 'w', 0o600)
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error'
    throw new AppFailure('validation', `Outpost cannot write a file at "${path}" (${code}). Check that the USB stick is connected and not read-only, and that the path names a file.`)
  }
  let result: T
  try {
    result = await write(async (bytes) => {
      await handle.write(bytes)
    })
    await handle.sync()
  } catch (error) {
    await handle.close()
    await rm(partial, { force: true })
    throw error
  }
  await handle.close()
  await rename(partial, path)
  return result
}
