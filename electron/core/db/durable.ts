import { randomBytes } from 'node:crypto'
import { open, readdir, rename, rm } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'

/**
 * Makes a directory entry (a rename, a new file) durable. Windows cannot open a folder to fsync
 * it and commits renames with the file system's own journal, so there the failure is expected.
 */
export async function syncDir(dir: string): Promise<void> {
  let handle
  try {
    handle = await open(dir, 'r')
    await handle.sync()
  } catch (error) {
    if (process.platform !== 'win32') throw error
  } finally {
    await handle?.close()
  }
}

/**
 * Removes the temp files a kill left behind in writeFileAtomic(file) (the write never reached its
 * rename, so the content they hold was never acknowledged). Call it only where no other write of
 * the same file can be in flight.
 */
export async function removeLeftoverTemps(file: string): Promise<void> {
  const name = basename(file)
  const isLeftover = (entry: string) =>
    entry.startsWith(`${name}.`) && entry.endsWith('.tmp') && /^[0-9a-f]{12}$/.test(entry.slice(name.length + 1, -4))
  for (const entry of await readdir(dirname(file))) {
    if (isLeftover(entry)) await rm(join(dirname(file), entry), { force: true })
  }
}

/** Temp file, fsync, rename, fsync of the folder, owner-only: a crash leaves the old or the new content. */
export async function writeFileAtomic(file: string, content: string | Uint8Array): Promise<void> {
  const temp = `${file}.${randomBytes(6).toString('hex')}.tmp`
  const handle = await open(temp, 'wx', 0o600)
  try {
    await handle.writeFile(content)
    await handle.sync()
  } finally {
    await handle.close()
  }
  try {
    await rename(temp, file)
  } catch (error) {
    await rm(temp, { force: true })
    throw error
  }
  await syncDir(dirname(file))
}
