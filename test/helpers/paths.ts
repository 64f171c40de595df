import { execFileSync } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'

export const repoRoot = resolve(import.meta.dirname, '../..')
export const migrationsDir = join(repoRoot, 'migrations')
/**
 * The team's shared data (sample forms, conformance corpora) sits beside the repository. A clone
 * made elsewhere (a temporary folder) finds it beside the repository it was cloned from;
 * OUTPOST_SHARED_DIR overrides both.
 */
export const sharedDir = findSharedDir()

function findSharedDir(): string {
  const configured = process.env.OUTPOST_SHARED_DIR
  if (configured) return resolve(configured)
  const beside = resolve(repoRoot, '../shared')
  if (existsSync(beside)) return beside
  try {
    const origin = execFileSync('git', ['config', '--get', 'remote.origin.url'], { cwd: repoRoot, encoding: 'utf8' }).trim()
    if (origin && existsSync(origin)) {
      const besideOrigin = resolve(origin, '../shared')
      if (existsSync(besideOrigin)) return besideOrigin
    }
  } catch {
    // Not a git clone, or no origin: fall back to the usual place, and the tests say it is missing.
  }
  return beside
}

/** A fresh temporary folder, removed by the returned cleanup. */
export function makeTempDir(prefix = 'outpost-test-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix))
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) }
}
