import { z } from 'zod'
import { fieldPathSchema, fieldValueSchema, recordValuesSchema, scalarValueSchema } from '../records/values'
import { defineCalls } from './define'

export const recordStatuses = ['draft', 'complete', 'synced', 'approved', 'rejected'] as const
export const recordStatusSchema = z.enum(recordStatuses)
export type RecordStatusName = z.infer<typeof recordStatusSchema>

const idSchema = z.string().min(1).max(100)
const timeSchema = z.number().int().nonnegative()

export const recordSummarySchema = z.object({
  id: z.string(),
  formId: z.string(),
  formVersionId: z.string(),
  status: recordStatusSchema,
  instanceName: z.string().nullable(),
  values: recordValuesSchema,
  createdBy: z.string(),
  createdAt: z.number().int(),
  updatedBy: z.string(),
  updatedAt: z.number().int(),
  deletedAt: z.number().int().nullable(),
  deletedBy: z.string().nullable(),
})
export type RecordSummary = z.infer<typeof recordSummarySchema>

export const attachmentSchema = z.object({
  id: z.string(),
  fieldPath: z.string(),
  fileName: z.string(),
  mediaType: z.string(),
  size: z.number().int(),
  sha256: z.string(),
  createdAt: z.number().int(),
})
export type AttachmentInfo = z.infer<typeof attachmentSchema>

export const recordDetailSchema = recordSummarySchema.extend({
  instanceXml: z.string().nullable(),
  attachments: z.array(attachmentSchema),
})
export type RecordDetail = z.infer<typeof recordDetailSchema>

export const listSortSchema = z
  .object({
    by: z.enum(['updated', 'created', 'status', 'instanceName']).default('updated'),
    direction: z.enum(['asc', 'desc']).default('desc'),
  })
  .strict()

export const listFilterSchema = z
  .object({
    status: z.array(recordStatusSchema).min(1).optional(),
    /** Which timestamp `from` and `to` (inclusive, ms UTC) apply to. */
    dateField: z.enum(['created', 'updated']).default('created'),
    from: timeSchema.optional(),
    to: timeSchema.optional(),
    /** Records whose answer to one question equals a value (top-level questions). */
    question: z.object({ path: fieldPathSchema, value: scalarValueSchema }).strict().optional(),
  })
  .strict()

/**
 * Offset paging: a virtualized table asks for the window of rows at the scroll position,
 * anywhere in the list; `includeTotal: false` skips the count for windows after the first.
 */
export const recordsListInputSchema = z
  .object({
    formId: idSchema,
    offset: z.number().int().nonnegative().max(100_000_000).default(0),
    limit: z.number().int().min(1).max(500).default(100),
    sort: listSortSchema.default({ by: 'updated', direction: 'desc' }),
    filter: listFilterSchema.default({ dateField: 'created' }),
    /** Lists the deleted records (the bin) instead of the live ones. */
    deleted: z.boolean().default(false),
    includeTotal: z.boolean().default(true),
  })
  .strict()
export type RecordsListInput = z.input<typeof recordsListInputSchema>

export const recordsListOutputSchema = z.object({
  rows: z.array(recordSummarySchema),
  /** null when not asked for; when `totalIsLowerBound`, there are at least this many ("1,000+"). */
  total: z.number().int().nullable(),
  totalIsLowerBound: z.boolean(),
})

export const recordsSearchInputSchema = z
  .object({
    query: z.string().trim().min(1, 'Type something to search for.').max(200),
    formId: idSchema.optional(),
    /** The list's filters, applied to the matches. */
    filter: listFilterSchema.optional(),
    offset: z.number().int().nonnegative().max(10_000).default(0),
    limit: z.number().int().min(1).max(200).default(50),
  })
  .strict()

export const recordsSearchOutputSchema = z.object({ rows: z.array(recordSummarySchema), more: z.boolean() })

const byIdSchema = z.object({ id: idSchema }).strict()

export const recordsCreateInputSchema = z
  .object({
    formVersionId: idSchema,
    values: recordValuesSchema.default({}),
    instanceName: z.string().max(500).nullable().optional(),
    instanceXml: z.string().max(20_000_000).nullable().optional(),
    status: z.enum(['draft', 'complete']).default('draft'),
  })
  .strict()

export const fieldChangeSchema = z.object({ path: fieldPathSchema, value: fieldValueSchema }).strict()

export const recordsUpdateInputSchema = z
  .object({
    id: idSchema,
    changes: z.array(fieldChangeSchema).max(10_000),
    instanceName: z.string().max(500).nullable().optional(),
    instanceXml: z.string().max(20_000_000).nullable().optional(),
  })
  .strict()

export const historyEntrySchema = z.object({
  opId: z.string(),
  seq: z.number().int(),
  kind: z.enum(['create', 'set', 'revert', 'status', 'delete', 'restore']),
  /** '' for record-level entries (create, status, delete, restore). */
  path: z.string(),
  before: z.unknown(),
  after: z.unknown(),
  revertsOpId: z.string().nullable(),
  userId: z.string(),
  deviceId: z.string(),
  hlc: z.string(),
  at: z.number().int(),
})
export type HistoryEntry = z.infer<typeof historyEntrySchema>

export const recordsRestoreFieldInputSchema = z
  .object({
    id: idSchema,
    path: fieldPathSchema,
    /** The field goes back to the value it had right after this op. */
    opId: idSchema,
  })
  .strict()

export const recordsStatsInputSchema = z
  .object({
    formId: idSchema.optional(),
    from: timeSchema.optional(),
    to: timeSchema.optional(),
    /** Minutes east of UTC of the person looking, so "per day" means their days. */
    tzOffsetMinutes: z.number().int().min(-900).max(900).default(0),
  })
  .strict()

const countSchema = z.number().int().nonnegative()
export const recordsStatsOutputSchema = z.object({
  total: countSchema,
  perDay: z.array(z.object({ day: z.string(), count: countSchema })),
  perCollector: z.array(z.object({ userId: z.string(), count: countSchema })),
  perStatus: z.array(z.object({ status: recordStatusSchema, count: countSchema })),
  perForm: z.array(
    z.object({
      formId: z.string(),
      title: z.string(),
      count: countSchema,
      /** Records past draft and not rejected: what counts toward the target. */
      done: countSchema,
      target: countSchema.nullable(),
    }),
  ),
})
export type RecordsStats = z.infer<typeof recordsStatsOutputSchema>

export const maxAttachmentBytes = 50 * 1024 * 1024

export const recordsAddAttachmentInputSchema = z
  .object({
    recordId: idSchema,
    fieldPath: fieldPathSchema,
    fileName: z.string().min(1).max(255).regex(/^[^/\\\0]+$/, 'A file name cannot contain slashes.'),
    mediaType: z.string().min(1).max(255).default('application/octet-stream'),
    contentBase64: z
      .string()
      .max(Math.ceil(maxAttachmentBytes / 3) * 4, 'The file is larger than 50 MB.')
      .regex(/^[A-Za-z0-9+/]*={0,2}$/, 'The file content is not valid base64.'),
  })
  .strict()

/** One attachment of a record, read back (decrypted) for the record's detail view. */
export const recordsReadAttachmentInputSchema = z.object({ recordId: idSchema, attachmentId: idSchema }).strict()

export const recordsReadAttachmentOutputSchema = attachmentSchema.extend({
  contentBase64: z.string().max(Math.ceil(maxAttachmentBytes / 3) * 4),
})
export type AttachmentContent = z.infer<typeof recordsReadAttachmentOutputSchema>

export const recordsExportInputSchema = z
  .object({
    formId: idSchema,
    format: z.enum(['csv', 'xlsx']),
    /** Where to write: the .xlsx file, or the main .csv (repeat groups go beside it). */
    outputPath: z.string().min(1).max(4096),
    /** Choice labels instead of choice names, where the form definition has them. */
    labels: z.boolean().default(false),
  })
  .strict()

export const recordsExportOutputSchema = z.object({
  files: z.array(z.string()),
  sheets: z.array(z.object({ name: z.string(), rows: countSchema })),
  records: countSchema,
})
export type RecordsExportResult = z.infer<typeof recordsExportOutputSchema>

export const exportProgressSchema = z.object({
  formId: z.string(),
  phase: z.enum(['scan', 'write', 'done']),
  done: countSchema,
  total: countSchema,
})

export const recordsCalls = defineCalls({
  'records.list': { input: recordsListInputSchema, output: recordsListOutputSchema },
  'records.search': { input: recordsSearchInputSchema, output: recordsSearchOutputSchema },
  'records.get': { input: byIdSchema, output: recordDetailSchema },
  'records.create': { input: recordsCreateInputSchema, output: recordDetailSchema },
  'records.update': { input: recordsUpdateInputSchema, output: recordDetailSchema },
  'records.setStatus': { input: z.object({ id: idSchema, status: recordStatusSchema }).strict(), output: recordDetailSchema },
  'records.delete': { input: byIdSchema, output: recordDetailSchema },
  'records.restore': { input: byIdSchema, output: recordDetailSchema },
  'records.history': { input: byIdSchema, output: z.object({ entries: z.array(historyEntrySchema) }) },
  'records.restoreField': { input: recordsRestoreFieldInputSchema, output: recordDetailSchema },
  'records.stats': { input: recordsStatsInputSchema, output: recordsStatsOutputSchema },
  'records.setTarget': {
    input: z.object({ formId: idSchema, target: z.number().int().min(0).max(100_000_000).nullable() }).strict(),
    output: z.object({ formId: z.string(), target: z.number().int().nullable() }),
  },
  'records.addAttachment': { input: recordsAddAttachmentInputSchema, output: attachmentSchema },
  'records.readAttachment': { input: recordsReadAttachmentInputSchema, output: recordsReadAttachmentOutputSchema },
  'records.export': { input: recordsExportInputSchema, output: recordsExportOutputSchema },
})
