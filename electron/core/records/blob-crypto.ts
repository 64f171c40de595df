import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto'
import type { FileHandle } from 'node:fs/promises'
import { AppFailure } from '../../../shared/errors'

/**
 * Attachment files on disk: AES-256-GCM in independent chunks so a big file streams and a
 * resumed upload can read from any offset.
 *
 *   header  = "OPBLOB1\0" ‖ chunk size u32 ‖ plaintext size u64 ‖ file salt (16 random bytes)
 *   chunk i = AES-256-GCM(fileKey, nonce = i as 12 bytes, aad = header ‖ i u64 ‖ last u8) ‖ tag
 *
 * fileKey = HKDF-SHA256(attachment key, salt = file salt): a fresh key per file, so the counter
 * nonce never repeats under one key. The header and each chunk's index and "last" flag are
 * authenticated: a reordered, truncated, extended or swapped file fails to open.
 * The attachment key is HKDF(data key, "outpost-attachments-v1"), never the data key itself.
 */
export const blobMagic = Buffer.from('OPBLOB1\0', 'latin1')
export const blobChunkBytes = 64 * 1024
const headerBytes = blobMagic.length + 4 + 8 + 16
const tagBytes = 16

export function attachmentKeyOf(dataKey: Uint8Array): Buffer {
  return Buffer.from(hkdfSync('sha256', dataKey, Buffer.alloc(0), 'outpost-attachments-v1', 32))
}

const chunkCount = (size: number, chunk: number) => Math.max(1, Math.ceil(size / chunk))

/** Size on disk of a file holding `size` plaintext bytes. */
export function encryptedSize(size: number, chunk = blobChunkBytes): number {
  return headerBytes + size + chunkCount(size, chunk) * tagBytes
}

function fileKey(key: Buffer, salt: Buffer): Buffer {
  return Buffer.from(hkdfSync('sha256', key, salt, 'outpost-attachment-file-v1', 32))
}

function chunkAad(header: Buffer, index: number, last: boolean): Buffer {
  const tail = Buffer.alloc(9)
  tail.writeBigUInt64BE(BigInt(index))
  tail[8] = last ? 1 : 0
  return Buffer.concat([header, tail])
}

function nonceOf(index: number): Buffer {
  const nonce = Buffer.alloc(12)
  nonce.writeBigUInt64BE(BigInt(index), 4)
  return nonce
}

/** Writes `bytes` encrypted to an open file, chunk by chunk. */
export async function writeEncrypted(handle: FileHandle, key: Buffer, bytes: Uint8Array): Promise<void> {
  const header = Buffer.alloc(headerBytes)
  blobMagic.copy(header, 0)
  header.writeUInt32BE(blobChunkBytes, 8)
  header.writeBigUInt64BE(BigInt(bytes.length), 12)
  randomBytes(16).copy(header, 20)
  const perFile = fileKey(key, header.subarray(20))
  await handle.write(header)
  const count = chunkCount(bytes.length, blobChunkBytes)
  for (let i = 0; i < count; i++) {
    const plain = bytes.subarray(i * blobChunkBytes, (i + 1) * blobChunkBytes)
    const cipher = createCipheriv('aes-256-gcm', perFile, nonceOf(i)).setAAD(chunkAad(header, i, i === count - 1))
    await handle.write(Buffer.concat([cipher.update(plain), cipher.final(), cipher.getAuthTag()]))
  }
  perFile.fill(0)
}

const unreadable = () =>
  new AppFailure('internal', 'An attached file on this laptop is damaged or was changed outside Outpost, so it cannot be opened.')

/** Random access to one encrypted file: its plaintext size and any plaintext range. */
export type BlobReader = {
  size: number
  read: (offset: number, length: number) => Promise<Buffer>
  readAll: () => Promise<Buffer>
  close: () => Promise<void>
}

export async function readerFor(handle: FileHandle, key: Buffer): Promise<BlobReader> {
  const header = Buffer.alloc(headerBytes)
  const { bytesRead } = await handle.read(header, 0, headerBytes, 0)
  if (bytesRead !== headerBytes || !header.subarray(0, 8).equals(blobMagic)) throw unreadable()
  const chunk = header.readUInt32BE(8)
  const size = Number(header.readBigUInt64BE(12))
  if (chunk < 1 || chunk > 16 * 1024 * 1024) throw unreadable()
  const perFile = fileKey(key, header.subarray(20))
  const count = chunkCount(size, chunk)

  async function readChunk(index: number): Promise<Buffer> {
    const plainLength = Math.min(chunk, size - index * chunk)
    const body = Buffer.alloc(plainLength + tagBytes)
    const at = headerBytes + index * (chunk + tagBytes)
    const { bytesRead: got } = await handle.read(body, 0, body.length, at)
    if (got !== body.length) throw unreadable()
    try {
      const decipher = createDecipheriv('aes-256-gcm', perFile, nonceOf(index)).setAAD(chunkAad(header, index, index === count - 1))
      decipher.setAuthTag(body.subarray(plainLength))
      return Buffer.concat([decipher.update(body.subarray(0, plainLength)), decipher.final()])
    } catch {
      throw unreadable()
    }
  }

  async function read(offset: number, length: number): Promise<Buffer> {
    const end = Math.min(size, offset + length)
    if (offset >= end) return Buffer.alloc(0)
    const parts: Buffer[] = []
    for (let i = Math.floor(offset / chunk); i * chunk < end; i++) {
      const plain = await readChunk(i)
      const from = Math.max(0, offset - i * chunk)
      const to = Math.min(plain.length, end - i * chunk)
      parts.push(plain.subarray(from, to))
    }
    return Buffer.concat(parts)
  }

  return {
    size,
    read,
    readAll: () => read(0, size),
    close: () => handle.close(),
  }
}
