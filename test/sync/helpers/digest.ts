import { createHash } from 'node:crypto'
import type { Store } from '../../../electron/core/db/open'
import type { TestRegistry } from '../../registry/helpers/harness'

/**
 * What every replica must agree on after a final sync: each record's values, status, deletion and
 * instance name; every op id; every conflict and whether it is resolved. Compared as a whole and
 * hashed, so a test can both assert equality and print where replicas differ.
 */
export type Digest = {
  records: Record<
    string,
    {
      values: Record<string, unknown>
      status: string | null
      deleted: boolean
      instanceName: string | null
    }
  >
  ops: string[]
  conflicts: Record<string, { fieldPath: string; resolved: boolean }>
}

function sortKeys(value: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(value).sort(([a], [b]) => (a < b ? -1 : 1)))
}

export function hashDigest(digest: Digest): string {
  return createHash('sha256').update(JSON.stringify(digest)).digest('hex')
}

export function laptopDigest(store: Store, formVersionIds?: string[]): Digest {
  const rows = store.sqlite
    .prepare(
      'SELECT id, form_version_id, values_json, status, deleted_at, instance_name FROM records ORDER BY id',
    )
    .all() as {
    id: string
    form_version_id: string
    values_json: string
    status: string
    deleted_at: number | null
    instance_name: string | null
  }[]
  const records: Digest['records'] = {}
  for (const row of rows) {
    if (formVersionIds && !formVersionIds.includes(row.form_version_id)) continue
    records[row.id] = {
      values: sortKeys(JSON.parse(row.values_json) as Record<string, unknown>),
      status: row.status,
      deleted: row.deleted_at !== null,
      instanceName: row.instance_name,
    }
  }
  const ops = (
    store.sqlite.prepare('SELECT id FROM record_ops ORDER BY id').all() as { id: string }[]
  ).map((r) => r.id)
  const conflicts: Digest['conflicts'] = {}
  for (const row of store.sqlite
    .prepare('SELECT id, field_path, resolved_by_op FROM sync_conflicts ORDER BY id')
    .all() as { id: string; field_path: string; resolved_by_op: string | null }[]) {
    conflicts[row.id] = { fieldPath: row.field_path, resolved: row.resolved_by_op !== null }
  }
  return { records, ops, conflicts }
}

export async function registryDigest(registry: TestRegistry, officeId: string): Promise<Digest> {
  const rows = await registry.db
    .selectFrom('records')
    .select(['id', 'values', 'status', 'deleted', 'instance_name'])
    .where('office_id', '=', officeId)
    .orderBy('id')
    .execute()
  const records: Digest['records'] = {}
  for (const row of rows) {
    records[row.id] = {
      values: sortKeys(row.values as Record<string, unknown>),
      status: row.status,
      deleted: row.deleted,
      instanceName: row.instance_name,
    }
  }
  const ops = (
    await registry.db
      .selectFrom('record_ops')
      .innerJoin('records', 'records.id', 'record_ops.record_id')
      .select('record_ops.op_id')
      .where('records.office_id', '=', officeId)
      .orderBy('record_ops.op_id')
      .execute()
  ).map((r) => r.op_id)
  const conflicts: Digest['conflicts'] = {}
  for (const row of await registry.db
    .selectFrom('conflicts')
    .select(['id', 'field_path', 'resolved_by_op'])
    .where('office_id', '=', officeId)
    .orderBy('id')
    .execute()) {
    conflicts[row.id] = { fieldPath: row.field_path, resolved: row.resolved_by_op !== null }
  }
  return { records, ops, conflicts }
}
