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

export const formsCalls = defineCalls({
  'forms.list': { input: z.object({}).strict(), output: z.array(formSummarySchema) },
})
