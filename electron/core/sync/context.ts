import type Database from 'better-sqlite3'
import type { HlcClock } from '../../../shared/hlc'
import type { BatchLimits } from '../../../shared/sync/batch'
import type { Registry } from './transport'

/**
 * Test hooks that stand for a crash at the worst moments: each may throw, and the sync step must
 * leave the store as a killed process would (nothing half-written).
 */
export type SyncFaults = {
  /** After the registry acknowledged a batch, before the push cursor is written. */
  beforePushCursor?: (batch: number) => void
  /** Inside the pull transaction, after the page's data, before its cursor. */
  beforePullCursor?: (page: number) => void
}

export type Progress = { phase: 'push' | 'upload' | 'pull'; done: number; total: number | null }

export type SyncContext = {
  sqlite: Database.Database
  selfId: string
  clock: HlcClock
  registry: Registry
  dataDir: string
  limits: BatchLimits
  pageSize: number
  now: () => number
  signal?: AbortSignal
  faults?: SyncFaults
  progress?: (progress: Progress) => void
}

/** Lets form filling run between batches: better-sqlite3 is synchronous, the event loop is shared. */
export function yieldToOthers(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve))
}

export function checkCancelled(signal: AbortSignal | undefined): void {
  if (signal?.aborted)
    throw signal.reason instanceof Error ? signal.reason : new Error('Sync was cancelled.')
}
