import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'

export const repoRoot = resolve(import.meta.dirname, '../..')
export const migrationsDir = join(repoRoot, 'migrations')
export const sharedDir = resolve(repoRoot, '../shared')

/** A fresh temporary folder, removed by the returned cleanup. */
export function makeTempDir(prefix = 'outpost-test-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix))
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) }
}
