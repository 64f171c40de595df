import type Database from 'better-sqlite3'
import type { Change } from '../../../shared/registry-api'
import type { SyncContext } from './context'
import { checkCancelled } from './context'
import { stmt } from './statements'
import type { RegisterEntity } from './transport'
import { readRegisterEntities, readRegisters } from './transport'

/** Feed changes that mean a register published to this office was published, re-imported or edited. */
const registerKinds = new Set(['register.published', 'register.imported', 'register.entity'])

/**
 * Notes, in the pull's transaction, that a register changed: its entries are fetched after the
 * pull (a page must not wait on HTTP inside a transaction), so a crash in between only leaves it
 * marked stale and the next sync fetches it.
 */
export function noteRegisterChange(sqlite: Database.Database, change: Change, now: number): boolean {
  if (!registerKinds.has(change.kind)) return false
  // register.entity names its register in entityId too (registry/domain/registers.ts fanOut).
  const name = (change.data as { name?: unknown } | null)?.name
  stmt(
    sqlite,
    `INSERT INTO registers (id, name, title, csv, entries, stale, updated_at) VALUES (?, ?, ?, '', 0, 1, ?)
     ON CONFLICT (id) DO UPDATE SET stale = 1, updated_at = excluded.updated_at`,
  ).run(change.entityId, typeof name === 'string' ? name : `register-${change.entityId}`, typeof name === 'string' ? name : '', now)
  return true
}

const csvField = (value: string): string => (/[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value)

function textOf(value: unknown): string {
  if (value === null || value === undefined) return ''
  return typeof value === 'string' ? value : typeof value === 'number' || typeof value === 'boolean' ? String(value) : JSON.stringify(value)
}

/**
 * A register as a form reads it (ODK's entity list CSV): `name` (the entry's id), `label`, then one
 * column per property in the order they first appear, then `__version` (the entry's revision,
 * which an update form sends back as its base version); deleted entries left out.
 */
export function registerCsv(entities: readonly RegisterEntity[]): { csv: string; entries: number } {
  const live = entities.filter((e) => !e.deleted)
  const columns: string[] = []
  const seen = new Set(['name', 'label', '__version'])
  for (const entity of live)
    for (const key of Object.keys(entity.values ?? {}))
      if (!seen.has(key)) {
        seen.add(key)
        columns.push(key)
      }
  const versioned = live.some((e) => e.revision !== undefined)
  const lines = [['name', 'label', ...columns, ...(versioned ? ['__version'] : [])].map(csvField).join(',')]
  for (const entity of live) {
    const values = entity.values ?? {}
    const version = versioned ? [entity.revision === undefined ? '' : String(entity.revision)] : []
    lines.push([entity.entityId, entity.label, ...columns.map((c) => textOf(values[c])), ...version].map(csvField).join(','))
  }
  return { csv: `${lines.join('\n')}\n`, entries: live.length }
}

/** Stores a register whole (fetched, or from a USB return package) and clears its stale mark. */
export function storeRegister(
  sqlite: Database.Database,
  register: { id: string; name: string; title: string; entities: readonly RegisterEntity[] },
  now: number,
): void {
  const { csv, entries } = registerCsv(register.entities)
  // A register re-created under the same name has a new id: the old one gives way.
  stmt(sqlite, 'DELETE FROM registers WHERE name = ? AND id != ?').run(register.name, register.id)
  stmt(
    sqlite,
    `INSERT INTO registers (id, name, title, csv, entries, stale, updated_at) VALUES (?, ?, ?, ?, ?, 0, ?)
     ON CONFLICT (id) DO UPDATE SET name = excluded.name, title = excluded.title, csv = excluded.csv,
       entries = excluded.entries, stale = 0, updated_at = excluded.updated_at`,
  ).run(register.id, register.name, register.title, csv, entries, now)
}

/**
 * Fetches every register marked stale (and names/titles from the published list), each stored in
 * its own transaction with the mark cleared only if no newer change arrived meanwhile. Forms read
 * them as `<name>.csv` (electron/core/forms/media.ts). Answers how many were refreshed.
 */
export async function refreshRegisters(ctx: SyncContext): Promise<number> {
  const stale = stmt(ctx.sqlite, 'SELECT id, updated_at FROM registers WHERE stale = 1').all() as { id: string; updated_at: number }[]
  if (stale.length === 0) return 0
  const published = new Map((await readRegisters(ctx.registry, ctx.signal)).map((r) => [r.id, r]))
  let refreshed = 0
  for (const row of stale) {
    checkCancelled(ctx.signal)
    const register = published.get(row.id)
    if (!register) {
      // No longer published to this office (or never was): forms stop reading it.
      stmt(ctx.sqlite, 'DELETE FROM registers WHERE id = ? AND updated_at = ?').run(row.id, row.updated_at)
      continue
    }
    const { csv, entries } = registerCsv(await readRegisterEntities(ctx.registry, row.id, ctx.signal))
    // A register re-created under the same name has a new id: the old one gives way.
    stmt(ctx.sqlite, 'DELETE FROM registers WHERE name = ? AND id != ?').run(register.name, row.id)
    const result = stmt(
      ctx.sqlite,
      `UPDATE registers SET name = ?, title = ?, csv = ?, entries = ?, stale = 0, updated_at = ?
       WHERE id = ? AND updated_at = ?`,
    ).run(register.name, register.title, csv, entries, ctx.now(), row.id, row.updated_at)
    refreshed += result.changes
  }
  return refreshed
}
