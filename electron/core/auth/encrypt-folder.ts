import { closeSync, existsSync, fsyncSync, openSync, readSync, rmSync, statSync } from 'node:fs'
import { createHash } from 'node:crypto'
import { readdir, readFile, rename, rm } from 'node:fs/promises'
import { join } from 'node:path'
import Database from 'better-sqlite3-multiple-ciphers'
import { removeLeftoverTemps, syncDir, writeFileAtomic } from '../db/durable'
import { cipherPragmas, openSqlite } from '../db/open'
import { blobMagic } from '../records/blob-crypto'
import { storeBlob } from '../records/attachments'

const sqliteMagic = Buffer.from('SQLite format 3\0', 'latin1')

/** A plain SQLite file starts with its magic string; an encrypted one starts with random salt. */
export function isPlainDatabase(file: string): boolean {
  if (!existsSync(file) || statSync(file).size < sqliteMagic.length) return false
  const head = Buffer.alloc(sqliteMagic.length)
  const fd = openSync(file, 'r')
  try {
    readSync(fd, head, 0, head.length, 0)
  } finally {
    closeSync(fd)
  }
  return head.equals(sqliteMagic)
}

const paths = (dataDir: string) => {
  const db = join(dataDir, 'outpost.db')
  return { db, temp: `${db}.encrypting`, marker: `${db}.encrypting.json` }
}

function removeWithSidecars(file: string): void {
  for (const suffix of ['', '-journal', '-wal', '-shm']) rmSync(`${file}${suffix}`, { force: true })
}

/**
 * Moves a data folder from before encryption to the encrypted store, in place, safe against a
 * kill at any point:
 *
 *   1. marker written; the plain database checkpointed (its -wal folded in and removed by the
 *      clean close) and copied as one consistent snapshot (VACUUM INTO) to outpost.db.encrypting;
 *   2. the copy encrypted with the data key (rekey, rollback journal), checked, fsynced;
 *   3. renamed over outpost.db (atomic), folder fsynced; marker removed.
 *
 * Until the rename the plain database is untouched, so a restart rolls back (deletes the copy)
 * and starts again; after it the database is encrypted and a restart only tidies up. Then the
 * attachment files are rewritten encrypted one by one (each an atomic rename; a file already
 * encrypted is skipped), so that step also simply resumes. Space needed: one more database.
 */
export async function encryptFolder(dataDir: string, key: Uint8Array, hooks: { step?: (name: string) => void } = {}): Promise<void> {
  const { db, temp, marker } = paths(dataDir)
  if (existsSync(marker) || existsSync(temp)) {
    removeWithSidecars(temp) // an interrupted run: the plain database is still whole, or already replaced
    await rm(marker, { force: true })
  }
  await removeLeftoverTemps(marker) // a kill inside the marker's own write
  if (isPlainDatabase(db)) {
    await writeFileAtomic(marker, JSON.stringify({ from: 'plain', startedAt: Date.now() }))
    hooks.step?.('marker')
    const plain = new Database(db)
    try {
      plain.pragma('wal_checkpoint(TRUNCATE)')
      plain.prepare('VACUUM INTO ?').run(temp)
    } finally {
      plain.close()
    }
    hooks.step?.('copied')
    const copy = new Database(temp)
    try {
      copy.pragma('journal_mode = DELETE')
      for (const pragma of cipherPragmas(key)) copy.pragma(pragma)
      copy.pragma(`rekey = "x'${Buffer.from(key).toString('hex')}'"`)
    } finally {
      copy.close()
    }
    hooks.step?.('encrypted')
    const check = openSqlite(temp, key, { fileMustExist: true, readonly: true })
    try {
      const result = check.pragma('quick_check', { simple: true })
      if (result !== 'ok') throw new Error(`The encrypted copy failed its check: ${String(result)}`)
    } finally {
      check.close()
    }
    const fd = openSync(temp, 'r+')
    try {
      fsyncSync(fd)
    } finally {
      closeSync(fd)
    }
    // A -wal left beside the plain file would be replayed into the encrypted one: the clean close
    // above removed it; anything still there is an empty leftover.
    for (const suffix of ['-wal', '-shm']) rmSync(`${db}${suffix}`, { force: true })
    hooks.step?.('ready')
    await rename(temp, db)
    await syncDir(dataDir)
    hooks.step?.('renamed')
    await rm(marker, { force: true })
  }
  await encryptAttachments(dataDir)
}

/** Rewrites plain attachment files (from before encryption) encrypted; needs setAttachmentKey first. */
async function encryptAttachments(dataDir: string): Promise<void> {
  const root = join(dataDir, 'attachments')
  if (!existsSync(root)) return
  for (const entry of await readdir(root, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !/^[0-9a-f]{64}$/.test(entry.name)) continue
    const file = join(entry.parentPath, entry.name)
    const bytes = await readFile(file)
    if (bytes.subarray(0, blobMagic.length).equals(blobMagic)) continue
    // Only a file whose content matches its name is moved; anything else is left for a person to see.
    if (createHash('sha256').update(bytes).digest('hex') !== entry.name) continue
    await storeBlob(dataDir, bytes)
  }
}
