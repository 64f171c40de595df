import { readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { AppFailure } from '../../shared/errors'

/**
 * PGlite is one process's database: a second process opening the same folder would corrupt it.
 * The registry and the CLI each take this lock first; a lock left by a dead process is taken over.
 */
export function lockDataDir(dataDir: string, holder: string): () => void {
  const file = join(dataDir, 'outpost-registry.lock')
  try {
    const previous = JSON.parse(readFileSync(file, 'utf8')) as { pid?: number; holder?: string }
    if (typeof previous.pid === 'number' && previous.pid !== process.pid && isAlive(previous.pid)) {
      throw new AppFailure(
        'unavailable',
        `The registry data folder ${dataDir} is in use by ${previous.holder ?? 'another process'} (pid ${previous.pid}). Stop it first, or set DATABASE_URL to use PostgreSQL, which many processes can share.`,
      )
    }
  } catch (error) {
    if (error instanceof AppFailure) throw error
    // No lock file, or an unreadable one left by a crash: either way nobody holds the folder.
  }
  writeFileSync(file, JSON.stringify({ pid: process.pid, holder }))
  return () => rmSync(file, { force: true })
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}
