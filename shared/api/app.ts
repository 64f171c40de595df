import { z } from 'zod'
import { defineCalls } from './define'

export const appInfoSchema = z.object({
  name: z.literal('Outpost'),
  version: z.string(),
  schemaVersion: z.number().int().nonnegative(),
  deviceId: z.string(),
  shell: z.enum(['electron', 'browser']),
})
export type AppInfo = z.infer<typeof appInfoSchema>

export const appCalls = defineCalls({
  'app.info': { input: z.object({}).strict(), output: appInfoSchema },
})
