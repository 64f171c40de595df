import { z } from 'zod'
import { fieldValueSchema } from '../records/values'
import { defineCalls } from './define'

/** Where sync stands, for the status bar: always answerable, also offline. */
export const syncProgressSchema = z.object({
  phase: z.enum(['idle', 'upload', 'push', 'pull']),
  done: z.number().int().nonnegative(),
  total: z.number().int().nonnegative().nullable(),
})
export type SyncProgress = z.infer<typeof syncProgressSchema>

export const syncStatusSchema = z.object({
  enrolled: z.boolean(),
  registryUrl: z.string().nullable(),
  running: z.boolean(),
  online: z.boolean().nullable(),
  /** Milliseconds UTC of the last sync that finished. */
  lastSuccessAt: z.number().nullable(),
  lastError: z.object({ code: z.string(), message: z.string() }).nullable(),
  /** This laptop's ops the registry has not acknowledged yet. */
  waiting: z.number().int().nonnegative(),
  progress: syncProgressSchema,
  conflicts: z.number().int().nonnegative(),
  rejections: z.number().int().nonnegative(),
  nextAttemptAt: z.number().nullable(),
  /**
   * The last full reconcile: the registry was found restored from an older backup (a new epoch,
   * a lost op, a feed rewritten under the cursor), so everything was offered again and the feed
   * read again from its start (docs/sync.md, step 1). Absent from older cores.
   */
  lastReconcile: z.object({ at: z.number(), reason: z.string() }).nullable().optional(),
})
export type SyncStatus = z.infer<typeof syncStatusSchema>

export const conflictSideDtoSchema = z.object({
  opId: z.string(),
  value: z.unknown(),
  hlc: z.string(),
  /** Milliseconds UTC of the author's clock when the edit was made. */
  at: z.number(),
  userId: z.string(),
  node: z.string().nullable(),
})
export const syncConflictSchema = z.object({
  id: z.string(),
  recordId: z.string(),
  /** The field, or `#deleted:<field>` when a deletion met an edit. */
  fieldPath: z.string(),
  a: conflictSideDtoSchema,
  b: conflictSideDtoSchema,
  /** The value every replica shows now (the deterministic winner). */
  current: z.unknown(),
  createdAt: z.number(),
})
export type SyncConflict = z.infer<typeof syncConflictSchema>

/** Which record a conflict or a refusal concerns, so the screen can name it and label its fields. */
export const syncRecordRefSchema = z.object({
  formId: z.string(),
  formVersionId: z.string(),
  formTitle: z.string(),
  /** The record's instance name, when the form gives one. */
  name: z.string().nullable(),
})
export type SyncRecordRef = z.infer<typeof syncRecordRefSchema>

/** A conflict as the conflicts screen shows it: the record it belongs to (null if not on this laptop). */
export const syncConflictViewSchema = syncConflictSchema.extend({
  record: syncRecordRefSchema.nullable(),
})
export type SyncConflictView = z.infer<typeof syncConflictViewSchema>

/** A record the registry refused: its changes wait aside while the rest of the queue is sent. */
export const syncRejectionSchema = z.object({
  recordId: z.string(),
  /** How many of its changes were refused. */
  ops: z.number().int().positive(),
  code: z.string(),
  /** The registry's reason (of the latest refusal). */
  message: z.string(),
  rejectedAt: z.number(),
  record: syncRecordRefSchema.nullable(),
})
export type SyncRejection = z.infer<typeof syncRejectionSchema>

export const syncCalls = defineCalls({
  'sync.status': { input: z.object({}).strict(), output: syncStatusSchema },
  'sync.now': { input: z.object({}).strict(), output: syncStatusSchema },
  'sync.cancel': { input: z.object({}).strict(), output: syncStatusSchema },
  'sync.enroll': {
    input: z
      .object({
        registryUrl: z.url().max(2000),
        code: z.string().trim().min(4).max(64),
        deviceName: z.string().min(1).max(120).default('Outpost laptop'),
      })
      .strict(),
    output: z.object({ deviceId: z.string(), officeId: z.string() }),
  },
  'sync.conflicts': {
    input: z.object({ recordId: z.string().optional() }).strict(),
    output: z.array(syncConflictViewSchema),
  },
  'sync.rejections': { input: z.object({}).strict(), output: z.array(syncRejectionSchema) },
  /** Settles a conflict: the chosen or typed value (for a deletion: true keeps it deleted, false restores). */
  'sync.resolve': {
    input: z.object({ conflictId: z.string().max(100), value: fieldValueSchema }).strict(),
    output: z.object({ opId: z.string() }),
  },
})
