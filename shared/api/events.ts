import type { z } from 'zod'
import { exportProgressSchema } from './records'
import { settingsSchema } from './settings'
import { syncStatusSchema } from './sync'

/** Events the core sends to the renderer (main → renderer); the payload is validated by the sender. */
export const events = {
  'settings.changed': settingsSchema,
  'records.exportProgress': exportProgressSchema,
  'sync.progress': syncStatusSchema,
} satisfies Record<string, z.ZodType>

export type EventName = keyof typeof events
export type EventPayload<E extends EventName> = z.infer<(typeof events)[E]>
export const eventNames = Object.keys(events) as EventName[]
