import { z } from 'zod'

/**
 * The registry's HTTP contract: request and response bodies as zod schemas, shared by the
 * registry (which parses what it receives) and the sync client (which parses what it gets back).
 * Paths live beside them so both ends name a route the same way.
 */
export const registryPaths = {
  health: '/health',
  ready: '/ready',
  enroll: '/v1/enroll',
  deviceForms: '/v1/device/forms',
  deviceRegisters: '/v1/device/registers',
  deviceOps: '/v1/device/ops',
  deviceChanges: '/v1/device/changes',
  hqLogin: '/v1/hq/login',
  hqChanges: '/v1/hq/changes',
} as const

const uuid = z.uuid()
/** Hybrid logical clock text: 15-digit ms, 5-digit base-36 counter, node id; string order = clock order. */
export const hlcText = z.string().regex(/^\d{15}-[0-9a-z]{5}-[A-Za-z0-9_-]{1,64}$/)
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
export const enrollResponseSchema = z.object({ deviceId: uuid, officeId: uuid, token: z.string() })
export type EnrollRequest = z.infer<typeof enrollRequestSchema>
export type EnrollResponse = z.infer<typeof enrollResponseSchema>

export function enrollmentMessage(code: string, publicKey: string): string {
  return `outpost-enroll:${code.trim().toUpperCase()}:${publicKey}`
}

export const jsonValue: z.ZodType<unknown> = z.unknown()

export const recordOpSchema = z.object({
  opId: uuid,
  recordId: uuid,
  formVersionId: uuid,
  fieldPath: z.string().min(1).max(500),
  oldValue: jsonValue,
  newValue: jsonValue,
  hlc: hlcText,
  userId: z.string().min(1).max(200),
})
export type RecordOp = z.infer<typeof recordOpSchema>

export const pushOpsRequestSchema = z.object({ ops: z.array(recordOpSchema).min(1).max(1000) })
export const pushOpsResponseSchema = z.object({ accepted: z.number(), duplicates: z.number() })
export type PushOpsRequest = z.infer<typeof pushOpsRequestSchema>
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
