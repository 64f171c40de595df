import { z } from 'zod'
import { hlcText, syncOpSchema } from '../sync/ops'
import { decodeBatch, wireBatchSchema } from '../sync/wire'
import { readWireBatch } from '../sync/wire-check'

export { hlcText }

/**
 * The registry's HTTP contract: request and response bodies as zod schemas, shared by the
 * registry (which parses what it receives) and the sync client (which parses what it gets back).
 * Paths live beside them so both ends name a route the same way.
 */
export const registryPaths = {
  health: '/health',
  ready: '/ready',
  enroll: '/v1/enroll',
  identity: '/v1/identity',
  hqRecovery: '/v1/hq/recovery',
  deviceForms: '/v1/device/forms',
  deviceRegisters: '/v1/device/registers',
  deviceOps: '/v1/device/ops',
  deviceChanges: '/v1/device/changes',
  deviceSyncState: '/v1/device/sync-state',
  deviceConflicts: '/v1/device/conflicts',
  deviceAttachments: '/v1/device/attachments',
  hqConflicts: '/v1/hq/conflicts',
  hqLogin: '/v1/hq/login',
  hqChanges: '/v1/hq/changes',
} as const

const uuid = z.uuid()
/** An opaque feed position; the empty string is the start of the feed. */
export const feedCursor = z.string().regex(/^(|\d{1,20}:\d{1,20})$/)

export const enrollRequestSchema = z.object({
  code: z.string().min(4).max(64),
  deviceName: z.string().min(1).max(120),
  /** Ed25519 public key, raw 32 bytes, base64. */
  publicKey: z.string().max(64),
  /** Ed25519 signature of `enrollmentMessage(code, publicKey)`: proves the device holds the key. */
  signature: z.string().max(128),
})
/** The registry's public keys (registry/domain/identity.ts), raw 32 bytes each, base64. */
export const registryIdentitySchema = z.object({
  registryId: z.string().max(100),
  signingPublicKey: z.string().max(64),
  encryptionPublicKey: z.string().max(64),
})
export type RegistryIdentityDto = z.infer<typeof registryIdentitySchema>
export const enrollResponseSchema = z.object({
  deviceId: uuid,
  officeId: uuid,
  token: z.string(),
  registry: registryIdentitySchema,
})
/** HQ opens a device's sealed data key (the app's recovery wrap) and reads the key out to the office. */
export const recoveryRequestSchema = z.object({
  deviceId: uuid,
  sealed: z.string().min(1).max(400),
})
export const recoveryResponseSchema = z.object({
  deviceId: uuid,
  officeId: uuid,
  recoveryKey: z.string(),
})
export type EnrollRequest = z.infer<typeof enrollRequestSchema>
export type EnrollResponse = z.infer<typeof enrollResponseSchema>

export function enrollmentMessage(code: string, publicKey: string): string {
  return `outpost-enroll:${code.trim().toUpperCase()}:${publicKey}`
}

export const jsonValue: z.ZodType<unknown> = z.unknown()

/** An op pushed by a device (shared/sync/ops.ts): kind, base clocks and resolutions default for old clients. */
export const recordOpSchema = syncOpSchema
export type RecordOp = z.input<typeof recordOpSchema>

const pushOpsObjectSchema = z.object({ ops: z.array(recordOpSchema).min(1).max(1000) })
/**
 * A batch of ops: the compact column form (shared/sync/wire.ts, what the client sends) or, from
 * older clients, `{ ops }`. Both come out as `{ ops }`, every op checked by the op schema.
 */
export const pushOpsRequestSchema = z.union([
  pushOpsObjectSchema,
  wireBatchSchema
    .transform((batch, ctx) => {
      try {
        return { ops: decodeBatch(batch) }
      } catch (error) {
        ctx.addIssue({ code: 'custom', message: `The op batch is malformed: ${String(error)}` })
        return z.NEVER
      }
    })
    .pipe(pushOpsObjectSchema),
])
/**
 * A pushed batch as the registry takes it: the column form through its one-pass check
 * (`readWireBatch`), anything else through the schema, which also names what is wrong.
 */
export function parsePushOps(body: unknown): PushOpsRequest {
  const ops = readWireBatch(body)
  return ops ? { ops } : pushOpsRequestSchema.parse(body)
}
export const pushOpsResponseSchema = z.object({ accepted: z.number(), duplicates: z.number() })
export type PushOpsRequest = z.infer<typeof pushOpsRequestSchema>
/** What the registry holds of this device: lets a client notice a registry restored from an older backup. */
export const syncStateSchema = z.object({ deviceOps: z.number(), feedHead: feedCursor })
export type SyncState = z.infer<typeof syncStateSchema>
export const conflictSideSchema = z.object({
  opId: uuid,
  value: jsonValue,
  hlc: hlcText,
  userId: z.string(),
  node: z.string().nullable(),
})
export const conflictSchema = z.object({
  id: z.string(),
  recordId: uuid,
  fieldPath: z.string(),
  a: conflictSideSchema,
  b: conflictSideSchema,
  resolvedByOp: uuid.nullable(),
})
export type ConflictDto = z.infer<typeof conflictSchema>
export const conflictsResponseSchema = z.object({ conflicts: z.array(conflictSchema) })
export const resolveRequestSchema = z.object({ value: jsonValue })
export type PushOpsResponse = z.infer<typeof pushOpsResponseSchema>

export const changeSchema = z.object({
  cursor: feedCursor,
  kind: z.string(),
  entityId: z.string(),
  officeId: uuid.nullable(),
  data: z.unknown(),
  createdAt: z.string(),
})
export const changesPageSchema = z.object({
  changes: z.array(changeSchema),
  /** Pass back as `after`; equal to the request's `after` when nothing new was visible. */
  nextCursor: feedCursor,
  hasMore: z.boolean(),
})
export type Change = z.infer<typeof changeSchema>
export type ChangesPage = z.infer<typeof changesPageSchema>

export const changesQuerySchema = z.object({
  after: feedCursor.default(''),
  limit: z.coerce.number().int().min(1).max(1000).default(200),
})

export const loginRequestSchema = z.object({
  email: z.string().max(320),
  password: z.string().max(1024),
})
export const loginResponseSchema = z.object({
  token: z.string(),
  user: z.object({ id: uuid, email: z.string(), name: z.string(), role: z.string() }),
})

export const reviewRequestSchema = z.discriminatedUnion('state', [
  z.object({ state: z.literal('approved'), comment: z.string().max(4000).optional() }),
  z.object({ state: z.literal('rejected'), comment: z.string().min(1).max(4000) }),
])
export const correctionRequestSchema = z.object({
  changes: z
    .array(z.object({ fieldPath: z.string().min(1).max(500), value: jsonValue }))
    .min(1)
    .max(500),
})
export type ReviewRequest = z.infer<typeof reviewRequestSchema>
export type CorrectionRequest = z.infer<typeof correctionRequestSchema>
