import type { z } from 'zod'
import { authStatusSchema } from './auth'
import { exportProgressSchema } from './records'
import { settingsSchema } from './settings'
import { syncStatusSchema } from './sync'
import { packagesProgressSchema } from './packages'

/** Events the core sends to the renderer (main → renderer); the payload is validated by the sender. */
export const events = {
  /** Sign-in, sign-out, lock (on demand or idle), setup. */
  'auth.changed': authStatusSchema,
  'settings.changed': settingsSchema,
  'records.exportProgress': exportProgressSchema,
  'sync.progress': syncStatusSchema,
  'packages.progress': packagesProgressSchema,
} satisfies Record<string, z.ZodType>

export type EventName = keyof typeof events
export type EventPayload<E extends EventName> = z.infer<(typeof events)[E]>
export const eventNames = Object.keys(events) as EventName[]
