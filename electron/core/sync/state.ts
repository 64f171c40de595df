import { stmt } from './statements'
import type Database from 'better-sqlite3'

/** Sync's own key-value state (cursors, counters, the registry's address). */
export type StateKey =
  | 'push_seq'
  | 'acked_ops'
  | 'pull_cursor'
  /** The registry's mark of the feed row at `pull_cursor` (docs/sync.md, step 1). */
  | 'pull_mark'
  /** The registry epoch this laptop last synced with. */
  | 'registry_epoch'
  /** '1' while HQ ops are to be handed back to a restored registry. */
  | 'relay_pending'
  | 'last_reconcile_at'
  | 'last_reconcile_reason'
  | 'last_success_at'
  | 'registry_url'
  | 'registry_device_id'
  | 'office_id'
  | 'registry_id'
  | 'registry_signing_key'
  | 'registry_encryption_key'

export function readState(sqlite: Database.Database, key: StateKey): string | undefined {
  const row = stmt(sqlite, 'SELECT value FROM sync_state WHERE key = ?').get(key) as
    { value: string } | undefined
  return row?.value
}

export function writeState(
  sqlite: Database.Database,
  key: StateKey,
  value: string,
  now = Date.now(),
): void {
  stmt(
    sqlite,
    'INSERT INTO sync_state (key, value, updated_at) VALUES (?, ?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at',
  ).run(key, value, now)
}

export function readNumber(sqlite: Database.Database, key: StateKey): number {
  return Number(readState(sqlite, key) ?? '0')
}
