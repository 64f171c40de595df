import type BetterSqlite3 from 'better-sqlite3'
import { uuidv7 } from 'uuidv7'
import type { Device } from '../../../electron/core/device'

/**
 * A record created the way the app did before migrations 0009 and 0011: two plain inserts, the
 * schema's insert triggers doing the rest (search text, counts, one sync clock per key). For
 * tests that build a database at an older schema and then migrate it.
 */
export function createAtOldSchema(sqlite: BetterSqlite3.Database, device: Device, userId: string, values: Record<string, unknown>, instanceName: string | null = null): string {
  const id = uuidv7()
  const now = Date.now()
  sqlite
    .prepare(
      `INSERT INTO records (id, form_id, form_version_id, status, instance_name, values_json, created_by, created_at, updated_by, updated_at)
       VALUES (?, 'f', 'v', 'draft', ?, ?, ?, ?, ?, ?)`,
    )
    .run(id, instanceName, JSON.stringify(values), userId, now, userId, now)
  const seq = (sqlite.prepare('SELECT COALESCE(MAX(seq), 0) + 1 AS seq FROM record_ops').get() as { seq: number }).seq
  const payload = JSON.stringify({ formVersionId: 'v', values, status: 'draft', instanceName })
  sqlite
    .prepare(
      `INSERT INTO record_ops (id, seq, record_id, field_path, kind, new_value, hlc, device_id, user_id, created_at)
       VALUES (?, ?, ?, '', 'create', ?, ?, ?, ?, ?)`,
    )
    .run(uuidv7(), seq, id, payload, device.clock.tick(), device.id, userId, now)
  return id
}
