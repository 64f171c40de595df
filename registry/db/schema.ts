import type { ColumnType, Generated } from 'kysely'

/** Row types of registry/migrations, as kysely sees them. Kept in registry/: they never leave it. */
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>
type Json = ColumnType<unknown, string, string>

export type Role = 'admin' | 'data_manager' | 'viewer'
export type ReviewState = 'received' | 'approved' | 'rejected' | 'corrected'

export type Database = {
  schema_migrations: {
    version: number
    name: string
    checksum: string
    applied_at: Timestamp
  }
  offices: { id: string; code: string; name: string; created_at: Timestamp }
  registry_identity: {
    id: string
    singleton: Generated<boolean>
    signing_public_key: string
    signing_private_key: string
    encryption_public_key: string
    encryption_private_key: string
    created_at: Generated<Timestamp>
  }
  hq_users: {
    id: string
    email: string
    name: string
    role: Role
    password_hash: string
    created_at: Timestamp
    disabled_at: Timestamp | null
  }
  hq_sessions: { token_hash: string; user_id: string; created_at: Timestamp; expires_at: Timestamp }
  devices: {
    id: string
    office_id: string
    name: string
    public_key: string
    token_hash: string
    enrolled_at: Timestamp
    revoked_at: Timestamp | null
  }
  enrollment_codes: {
    code_hash: string
    office_id: string
    created_by: string | null
    created_at: Timestamp
    expires_at: Timestamp
    used_at: Timestamp | null
    device_id: string | null
  }
  forms: { id: string; form_key: string; created_at: Timestamp }
  form_versions: {
    id: string
    form_id: string
    version: string
    title: string
    file_name: string
    file_sha256: string
    file_bytes: Uint8Array
    definition: Json | null
    created_by: string | null
    created_at: Timestamp
  }
  form_publications: {
    form_version_id: string
    office_id: string
    published_by: string | null
    published_at: Timestamp
  }
  registers: {
    id: string
    name: string
    title: string
    columns: Json
    created_at: Timestamp
    updated_at: Timestamp
  }
  register_entities: {
    register_id: string
    entity_id: string
    label: string
    values: Json
    revision: Generated<number>
    deleted: Generated<boolean>
    updated_at: Timestamp
  }
  register_entity_versions: {
    register_id: string
    entity_id: string
    revision: number
    label: string
    values: Json
    deleted: boolean
    record_id: string | null
    created_at: Generated<Timestamp>
  }
  entity_actions: {
    record_id: string
    dataset: string
    entity_id: string
    outcome: 'created' | 'updated' | 'refused'
    revision: number | null
    reason: string | null
    applied_at: Generated<Timestamp>
  }
  entity_conflicts: {
    id: string
    register_id: string
    entity_id: string
    record_id: string
    property: string
    base_revision: number
    revision: number
    theirs: Json | null
    ours: Json | null
    resolved_at: Timestamp | null
    resolved_by: string | null
    created_at: Generated<Timestamp>
  }
  register_publications: {
    register_id: string
    office_id: string
    published_by: string | null
    published_at: Timestamp
  }
  records: {
    id: string
    office_id: string
    form_version_id: string
    values: Json
    field_clocks: Json
    status: string | null
    instance_name: string | null
    deleted: Generated<boolean>
    review_state: Generated<ReviewState>
    review_comment: string | null
    reviewed_by: string | null
    reviewed_at: Timestamp | null
    created_at: Timestamp
    updated_at: Timestamp
  }
  record_ops: {
    op_id: string
    record_id: string
    field_path: string
    old_value: Json | null
    new_value: Json | null
    hlc: string
    device_id: string | null
    user_id: string
    received_at: Timestamp
    kind: Generated<string>
    base_hlc: string | null
    record_base_hlc: string | null
    seen: ColumnType<unknown, string | undefined, string>
    resolves: ColumnType<unknown, string | undefined, string>
    node: string | null
  }
  conflicts: {
    id: string
    record_id: string
    office_id: string
    field_path: string
    op_a: string
    op_b: string
    value_a: Json | null
    value_b: Json | null
    hlc_a: string
    hlc_b: string
    user_a: string
    user_b: string
    node_a: string | null
    node_b: string | null
    created_at: Timestamp
    resolved_by_op: string | null
    resolved_at: Timestamp | null
  }
  attachment_blobs: {
    sha256: string
    size: string | number
    bytes: Uint8Array
    office_id: string
    created_at: Timestamp
  }
  attachment_uploads: {
    sha256: string
    device_id: string
    bytes: Generated<Uint8Array>
    updated_at: Timestamp
  }
  changes: {
    id: Generated<string>
    txid: Generated<string>
    office_id: string | null
    kind: string
    entity_id: string
    data: Json
    /** The device that pushed a `record.op` row (migration 0011); null otherwise and before. */
    device_id: Generated<string | null>
    /** The op a `record.op` row of a first push names instead of holding it (migration 0013). */
    op_id: Generated<string | null>
    created_at: Timestamp
  }
  rate_limit_windows: { subject: string; window_start: Timestamp; hits: number }
}
