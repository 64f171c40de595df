import type { Generated } from 'kysely'

/** Row types of the local store. They stay in the core; the renderer gets DTOs from shared/api. */
export type SettingsTable = { key: string; value: string; updated_at: number }

export type DevicesTable = {
  id: string
  name: string
  is_self: Generated<number>
  public_key: string | null
  last_hlc: string | null
  created_at: number
}

export type FormsTable = { id: string; form_id: string; title: string; created_at: number; updated_at: number }

export type FormVersionsTable = {
  id: string
  form_id: string
  version: string
  title: string
  xform: string
  source_name: string | null
  sha256: string
  created_at: number
}

export type RecordStatus = 'draft' | 'complete' | 'synced' | 'approved' | 'rejected'

export type RecordsTable = {
  rid: Generated<number>
  id: string
  form_id: string
  form_version_id: string
  status: Generated<RecordStatus>
  instance_name: string | null
  values_json: Generated<string>
  instance_xml: string | null
  created_by: string
  created_at: number
  updated_by: string
  updated_at: number
  deleted_at: number | null
  deleted_by: string | null
}

export type RecordCountsTable = { form_id: string; status: RecordStatus; n: number }

export type RecordTargetsTable = { form_id: string; target: number; updated_by: string; updated_at: number }

export type RecordOpKind = 'create' | 'set' | 'revert' | 'status' | 'delete' | 'restore'

export type RecordOpsTable = {
  id: string
  seq: number
  record_id: string
  field_path: string
  kind: Generated<RecordOpKind>
  old_value: string | null
  new_value: string | null
  reverts_op_id: string | null
  hlc: string
  device_id: string
  user_id: string
  created_at: number
}

export type AttachmentsTable = {
  id: string
  record_id: string
  field_path: string
  sha256: string
  size: number
  media_type: string
  file_name: string
  created_by: string
  created_at: number
}

export type UsersTable = {
  id: string
  username: string
  display_name: string
  role: 'supervisor' | 'collector' | 'clerk'
  disabled: number
  created_at: number
  updated_at: number
}

export type SchemaMigrationsTable = { version: number; name: string; checksum: string; applied_at: number }

export type Schema = {
  settings: SettingsTable
  devices: DevicesTable
  forms: FormsTable
  form_versions: FormVersionsTable
  records: RecordsTable
  record_ops: RecordOpsTable
  attachments: AttachmentsTable
  record_counts: RecordCountsTable
  record_targets: RecordTargetsTable
  schema_migrations: SchemaMigrationsTable
  users: UsersTable
}
