import { z } from 'zod'
import { defineCalls } from './define'

export const formSummarySchema = z.object({
  id: z.string(),
  formId: z.string(),
  title: z.string(),
  latestVersion: z.string(),
  versionCount: z.number().int().positive(),
  recordCount: z.number().int().nonnegative(),
  updatedAt: z.number().int(),
})
export type FormSummary = z.infer<typeof formSummarySchema>

/** A problem found in a spreadsheet, located so the author can go straight to the cell. */
export const formDiagnosticSchema = z.object({
  severity: z.enum(['error', 'warning']),
  sheet: z.string().optional(),
  row: z.number().int().optional(),
  column: z.string().optional(),
  message: z.string(),
})
export type FormDiagnostic = z.infer<typeof formDiagnosticSchema>

/** Spreadsheets larger than this are not forms but data; refuse before decoding them. */
export const maxFormFileBytes = 20 * 1024 * 1024

const base64Schema = z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/, 'The file content is not valid base64.')

/** Files a form reads (CSV, GeoJSON, XML lists); a 30,000-village list is a few MB. */
export const maxMediaFileBytes = 50 * 1024 * 1024

export const formImportInputSchema = z
  .object({
    fileName: z.string().min(1).max(255),
    /** The file's bytes, base64-encoded (the renderer has no file system access). */
    contentBase64: base64Schema.max(Math.ceil(maxFormFileBytes / 3) * 4, 'The file is larger than 20 MB; an XLSForm is never that big.'),
    /** The files the form reads (select_one_from_file, pulldata), chosen with the spreadsheet. */
    media: z
      .array(
        z
          .object({
            fileName: z.string().min(1).max(255),
            contentBase64: base64Schema.max(Math.ceil(maxMediaFileBytes / 3) * 4, 'A file the form reads is larger than 50 MB.'),
          })
          .strict(),
      )
      .max(50)
      .default([]),
  })
  .strict()

export const formImportResultSchema = z.object({
  form: formSummarySchema,
  version: z.string(),
  /** `media_updated`: the same version, with new or changed files it reads. */
  outcome: z.enum(['created', 'new_version', 'media_updated', 'unchanged']),
  warnings: z.array(formDiagnosticSchema),
  /** The files stored with this version (names as the form gives them). */
  media: z.array(z.string()),
})
export type FormImportResult = z.infer<typeof formImportResultSchema>

export const formVersionSchema = z.object({
  formId: z.string(),
  formVersionId: z.string(),
  version: z.string(),
  title: z.string(),
  /** The ODK XForm the runtime runs. */
  xform: z.string(),
  /** The files the form reads, when asked for (`media: true`). */
  media: z.array(z.object({ name: z.string(), text: z.string(), source: z.enum(['file', 'register']) })),
  /** Files the form names that are on this laptop neither as a file nor as a register. */
  missingMedia: z.array(z.string()),
})
export type FormMediaFile = FormVersionDetail['media'][number]
export type FormVersionDetail = z.infer<typeof formVersionSchema>

export const formsGetInputSchema = z
  .object({
    /** The form's id (FormSummary.id). */
    id: z.string().min(1).max(100),
    /** A given version (a record keeps the version it was filled with); default the latest. */
    formVersionId: z.string().min(1).max(100).optional(),
    /** Include the files the form reads (the fill screen needs them; a list does not). */
    media: z.boolean().optional(),
  })
  .strict()

export const formsCalls = defineCalls({
  'forms.get': { input: formsGetInputSchema, output: formVersionSchema },
  'forms.list': { input: z.object({}).strict(), output: z.array(formSummarySchema) },
  'forms.import': { input: formImportInputSchema, output: formImportResultSchema },
})
