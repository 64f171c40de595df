import type Database from 'better-sqlite3'
import { parseCsv } from '../../../shared/csv'
import type { EntityBlock } from '../../../shared/forms/entities'
import { readEntityBlock, savedProperties, savedValues } from '../../../shared/forms/entities'
import { registerCsv } from '../sync/registers'
import type { RegisterEntity } from '../sync/transport'

/**
 * Offline entities (the ODK entity spec as Collect runs it offline): a household registered on
 * this laptop must be in the list a follow-up visit chooses from before the laptop ever syncs.
 * The register a form reads is HQ's (as last fetched) with, on top, what this laptop's completed
 * records create or update and HQ's copy does not show yet. The registry applies the same blocks
 * when the records arrive (registry/domain/entities.ts); once the register comes back with them,
 * they no longer show here: a create when HQ has the entry, an update when HQ's revision passed
 * the one it was made from.
 *
 * An entry created here has no revision yet (`__version` blank, so an update made from it says no
 * base and counts as made from HQ's latest); an entry updated here shows its revision plus one,
 * so a second visit is based on the first rather than in conflict with it.
 */

const ready = "('complete', 'synced', 'approved')"

/** HQ's register CSV back into its entries (as registerCsv wrote them). */
function readRegister(rows: readonly string[][]): Map<string, RegisterEntity> {
  const [header = [], ...lines] = rows
  const entries = new Map<string, RegisterEntity>()
  for (const line of lines) {
    const cells = new Map(header.map((column, i) => [column, line[i] ?? '']))
    const entityId = cells.get('name') ?? ''
    if (entityId === '') continue
    const version = cells.get('__version') ?? ''
    const values: Record<string, unknown> = {}
    for (const [column, cell] of cells) if (!['name', 'label', '__version'].includes(column)) values[column] = cell
    entries.set(entityId, { entityId, label: cells.get('label') ?? '', values, deleted: false, ...(version === '' ? {} : { revision: Number(version) }) })
  }
  return entries
}

/** Each entry's revision in HQ's CSV (NaN when it has none), without building the entries. */
function revisionsOf(rows: readonly string[][]): Map<string, number> {
  const [header = [], ...lines] = rows
  const name = header.indexOf('name')
  const version = header.indexOf('__version')
  const revisions = new Map<string, number>()
  for (const line of lines) {
    const entityId = line[name] ?? ''
    const text = version < 0 ? '' : (line[version] ?? '')
    if (entityId !== '') revisions.set(entityId, text === '' ? NaN : Number(text))
  }
  return revisions
}

/** The block's own keys, read by SQLite from the stored JSON in one pass: what deciding needs. */
const blockKeys = ['@dataset', '@id', '@create', '@update', '@baseVersion'].map((key) => `'$."meta/entity/${key}"'`).join(', ')

type BlockRow = { rid: number; block: string }

/**
 * The register `dataset` as forms on this laptop read it: HQ's CSV (undefined when none came yet)
 * with this laptop's offline creates and updates on top; undefined when there is neither.
 *
 * Every form open reads it, and a laptop may hold a hundred thousand registrations that HQ has
 * long had. So, once HQ's copy is here, it decides in two passes: the first reads only each
 * record's block (SQLite pulls the keys out of the JSON) against HQ's ids and revisions, and finds
 * the records that still show; only those are read whole, by the pass that builds the entries.
 * Both passes make the same decisions, since a record that does not show changes nothing the next
 * one is judged by.
 */
export function registerWithLocalEntities(sqlite: Database.Database, dataset: string, hqCsv: string | undefined): string | undefined {
  const versions = sqlite
    .prepare('SELECT id, xform FROM form_versions WHERE instr(xform, ?) > 0')
    .all(`dataset="${dataset}"`) as { id: string; xform: string }[]
  if (versions.length === 0) return hqCsv
  const candidates = `FROM records WHERE form_version_id IN (SELECT value FROM json_each(?)) AND status IN ${ready}
    AND deleted_at IS NULL ORDER BY updated_at, rid`
  const versionIds = JSON.stringify(versions.map((v) => v.id))
  const hqRows = hqCsv ? parseCsv(hqCsv) : []
  const hqRevisions = revisionsOf(hqRows)
  // An update HQ's copy has passed is already in it (or in conflict there): it shows no more.
  const passed = (block: EntityBlock) => (hqRevisions.get(block.entityId) ?? NaN) > (block.baseRevision ?? Infinity)
  const shows = (block: EntityBlock, exists: boolean) => (!exists && block.create) || (exists && block.update && !passed(block))

  let records: { form_version_id: string; values_json: string }[]
  if (hqCsv === undefined) {
    // Nothing from HQ yet: every registration shows, so the records are read whole at once.
    records = sqlite.prepare(`SELECT form_version_id, values_json ${candidates}`).all(versionIds) as typeof records
  } else {
    const blocks = sqlite.prepare(`SELECT rid, json_extract(values_json, ${blockKeys}) AS block ${candidates}`).all(versionIds) as BlockRow[]
    const known = new Set(hqRevisions.keys())
    const showing: number[] = []
    for (const row of blocks) {
      const [set, id, create, update, base] = JSON.parse(row.block) as unknown[]
      const block = readEntityBlock({
        'meta/entity/@dataset': set,
        'meta/entity/@id': id,
        'meta/entity/@create': create,
        'meta/entity/@update': update,
        'meta/entity/@baseVersion': base,
      })
      if (block.dataset !== dataset || block.entityId === '' || !shows(block, known.has(block.entityId))) continue
      known.add(block.entityId)
      showing.push(row.rid)
    }
    if (showing.length === 0) return hqCsv
    const byRid = new Map(
      (
        sqlite
          .prepare('SELECT rid, form_version_id, values_json FROM records WHERE rid IN (SELECT value FROM json_each(?))')
          .all(JSON.stringify(showing)) as { rid: number; form_version_id: string; values_json: string }[]
      ).map((row) => [row.rid, row]),
    )
    records = showing.flatMap((rid) => byRid.get(rid) ?? [])
  }

  const entries = readRegister(hqRows)
  const properties = new Map(versions.map((v) => [v.id, savedProperties(v.xform)]))
  let changed = false
  for (const record of records) {
    const values = JSON.parse(record.values_json) as Record<string, unknown>
    const block = readEntityBlock(values)
    const existing = entries.get(block.entityId)
    if (block.dataset !== dataset || block.entityId === '' || !shows(block, existing !== undefined)) continue
    const entry: RegisterEntity = existing
      ? { ...existing, ...(existing.revision === undefined ? {} : { revision: existing.revision + 1 }) }
      : { entityId: block.entityId, label: block.label, values: {}, deleted: false }
    if (existing && block.label !== '') entry.label = block.label
    entry.values = { ...entry.values, ...savedValues(properties.get(record.form_version_id) ?? new Map(), values) }
    entries.set(block.entityId, entry)
    changed = true
  }
  return changed ? registerCsv([...entries.values()]).csv : hqCsv
}
