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
function readRegister(csv: string | undefined): Map<string, RegisterEntity> {
  const [header = [], ...lines] = csv ? parseCsv(csv) : []
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

/**
 * The register `dataset` as forms on this laptop read it: HQ's CSV (undefined when none came yet)
 * with this laptop's offline creates and updates on top; undefined when there is neither.
 */
export function registerWithLocalEntities(sqlite: Database.Database, dataset: string, hqCsv: string | undefined): string | undefined {
  const versions = sqlite
    .prepare('SELECT id, xform FROM form_versions WHERE instr(xform, ?) > 0')
    .all(`dataset="${dataset}"`) as { id: string; xform: string }[]
  if (versions.length === 0) return hqCsv
  const records = sqlite
    .prepare(
      `SELECT form_version_id, values_json FROM records
       WHERE form_version_id IN (SELECT value FROM json_each(?)) AND status IN ${ready} AND deleted_at IS NULL
       ORDER BY updated_at, rid`,
    )
    .all(JSON.stringify(versions.map((v) => v.id))) as { form_version_id: string; values_json: string }[]
  const entries = readRegister(hqCsv)
  const hqRevisions = new Map([...entries].map(([id, entry]) => [id, entry.revision ?? NaN]))
  // An update HQ's copy has passed is already in it (or in conflict there): it shows no more.
  const passed = (block: EntityBlock) => (hqRevisions.get(block.entityId) ?? NaN) > (block.baseRevision ?? Infinity)
  const properties = new Map(versions.map((v) => [v.id, savedProperties(v.xform)]))
  let changed = false
  for (const record of records) {
    const values = JSON.parse(record.values_json) as Record<string, unknown>
    const block = readEntityBlock(values)
    if (block.dataset !== dataset || block.entityId === '') continue
    const existing = entries.get(block.entityId)
    let entry: RegisterEntity
    if (!existing && block.create) entry = { entityId: block.entityId, label: block.label, values: {}, deleted: false }
    else if (existing && block.update && !passed(block)) {
      entry = { ...existing, ...(existing.revision === undefined ? {} : { revision: existing.revision + 1 }) }
      if (block.label !== '') entry.label = block.label
    } else continue
    entry.values = { ...entry.values, ...savedValues(properties.get(record.form_version_id) ?? new Map(), values) }
    entries.set(block.entityId, entry)
    changed = true
  }
  return changed ? registerCsv([...entries.values()]).csv : hqCsv
}
