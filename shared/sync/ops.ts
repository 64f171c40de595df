import { z } from 'zod'

/**
 * The unit of sync: one entry of a record's op log, as it travels between a device and the
 * registry. `opId` (UUIDv7) makes a replay harmless. `baseHlc` is what the author had seen of
 * the op's key when it made the op (the clock of that key's winning op on the author's replica, or
 * null); `seen` the author's clocks of other keys of the record that decide a delete against an
 * edit: for a delete, every key's; for any other op, `#deleted`'s. They are what makes "concurrent" decidable without wall time: see merge.ts.
 */
export const opKinds = [
  'create',
  'set',
  'revert',
  'status',
  'delete',
  'restore',
  'resolve',
] as const
export type OpKind = (typeof opKinds)[number]

/** Hybrid logical clock text: 15-digit ms, 5-digit base-36 counter, node id; string order = clock order. */
export const hlcPattern = /^\d{15}-[0-9a-z]{5}-[A-Za-z0-9_-]{1,64}$/
export const hlcText = z.string().regex(hlcPattern)

export const syncOpSchema = z.object({
  opId: z.uuid(),
  recordId: z.uuid(),
  formVersionId: z.uuid(),
  kind: z.enum(opKinds).default('set'),
  /** '' for record-level ops (create, status, delete, restore). */
  fieldPath: z.string().max(500),
  oldValue: z.unknown(),
  newValue: z.unknown(),
  hlc: hlcText,
  baseHlc: hlcText.nullable().default(null),
  seen: z.record(z.string().max(500), hlcText).default({}),
  /** For 'resolve': the conflicts this op settles. */
  resolves: z.array(z.string().max(100)).max(100).default([]),
  userId: z.string().min(1).max(200),
})
export type SyncOp = z.infer<typeof syncOpSchema>
export type SyncOpInput = z.input<typeof syncOpSchema>

/** An op as the feed delivers it: who sent it is part of its identity for conflicts. */
export const feedOpSchema = syncOpSchema.extend({ deviceId: z.string().max(64).nullable() })
export type FeedOp = z.infer<typeof feedOpSchema>

/** Keys that are not form fields: a record's status, its deletion and its instance name. */
export const statusKey = '#status'
export const deletedKey = '#deleted'
export const instanceNameKey = '#instanceName'

export type CreatePayload = {
  formVersionId?: string
  values?: Record<string, unknown>
  status?: string
  instanceName?: string | null
}

/**
 * The keys an op writes, each with the value it writes there. Merge runs per key: a create writes
 * every initial field (and the status), a delete or restore writes `#deleted`.
 */
export function opWrites(op: Pick<SyncOp, 'kind' | 'fieldPath' | 'newValue'>): [string, unknown][] {
  switch (op.kind) {
    case 'create': {
      const payload = (op.newValue ?? {}) as CreatePayload
      const writes: [string, unknown][] = Object.entries(payload.values ?? {})
      writes.push([statusKey, payload.status ?? 'draft'])
      if (payload.instanceName != null) writes.push([instanceNameKey, payload.instanceName])
      return writes
    }
    case 'set':
    case 'revert':
    case 'resolve':
      return [[op.fieldPath, op.newValue]]
    case 'status':
      return [[statusKey, op.newValue]]
    case 'delete':
      return [[deletedKey, true]]
    case 'restore':
      return [[deletedKey, false]]
  }
}

/**
 * A record made by one plain create, as both stores fold it (the registry's `records` row, the
 * laptop's first pull): its values, the keys the create writes (`opWrites`' keys, in its order),
 * its status and instance name as text (a non-string as its JSON). Null when the payload is not
 * the plain case (values not an object, a value under a reserved key `#…` or `__proto__`), which
 * then takes the general fold.
 */
export function plainCreate(op: Pick<SyncOp, 'kind' | 'newValue'>): {
  values: Record<string, unknown>
  keys: string[]
  status: string
  instanceName: string | null
} | null {
  if (op.kind !== 'create') return null
  const payload = (op.newValue ?? {}) as CreatePayload
  const values = payload.values ?? {}
  if (typeof values !== 'object' || values === null || Array.isArray(values)) return null
  const keys = Object.keys(values)
  for (const key of keys) if (key.charCodeAt(0) === 35 || key === '__proto__') return null // '#'
  keys.push(statusKey)
  const status: unknown = payload.status ?? 'draft'
  const name: unknown = payload.instanceName
  if (name != null) keys.push(instanceNameKey)
  return {
    values,
    keys,
    status: typeof status === 'string' ? status : JSON.stringify(status),
    instanceName: name == null ? null : typeof name === 'string' ? name : JSON.stringify(name),
  }
}

/** The node (device id, or 'registry') inside a clock text: the deterministic tie-break. */
export function hlcNode(hlc: string): string {
  return hlc.slice(22)
}
