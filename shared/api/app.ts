import { z } from 'zod'
import { defineCalls } from './define'

export const appInfoSchema = z.object({
  name: z.literal('Outpost'),
  version: z.string(),
  schemaVersion: z.number().int().nonnegative(),
  deviceId: z.string(),
  shell: z.enum(['electron', 'browser']),
  /** Whether `app.chooseFile` opens the system's Save/Open dialog (the desktop app) or not (browser). */
  fileDialogs: z.boolean(),
})
export type AppInfo = z.infer<typeof appInfoSchema>

/** What a file is for: decides the dialog's title, the file types offered and the default name. */
export const filePurposeSchema = z.enum(['export-csv', 'export-xlsx', 'package-export', 'package-import'])
export type FilePurpose = z.infer<typeof filePurposeSchema>

export const fileChoiceSchema = z
  .object({
    purpose: filePurposeSchema,
    /** A name to start from in a Save dialog (no folders: the person picks the folder). */
    suggestedName: z
      .string()
      .trim()
      .max(200)
      .regex(/^[^/\\]*$/, 'A file name, not a path.')
      .optional(),
  })
  .strict()
export type FileChoice = z.infer<typeof fileChoiceSchema>

export const appCalls = defineCalls({
  'app.info': { input: z.object({}).strict(), output: appInfoSchema },
  /**
   * The system's Save or Open dialog (Save for exports, Open for package import). `path` is null
   * when the person cancels; refused with `unavailable` where there is no dialog (the browser build
   * types the path instead).
   */
  'app.chooseFile': { input: fileChoiceSchema, output: z.object({ path: z.string().nullable() }) },
})
