import { z } from 'zod'
import { changesPageSchema, syncStateSchema } from '../registry-api'
import { syncOpSchema } from './ops'

/**
 * What tells a laptop that the registry it talks to is not the one it last synced with (restored
 * from an older backup): the registry's epoch id, which an admin restore rotates, and the mark of
 * the feed row at the laptop's cursor (a digest of that row: kind, entity, time written), which a
 * restored registry lacks even when its feed has since grown past the cursor. docs/sync.md, step 1.
 */
export const feedMark = z.string().max(64)

/** `GET /v1/device/sync-state?cursor=`: the state, the epoch and the mark of the row at `cursor`. */
export const syncStateWithEpochSchema = syncStateSchema.extend({
  epoch: z.string().max(64).optional(),
  /** The mark of the feed row at the cursor asked about; null when there is no such row. */
  mark: feedMark.nullable().optional(),
})
export type SyncStateWithEpoch = z.infer<typeof syncStateWithEpochSchema>

/** A device's feed page, with the mark of the row at `nextCursor` (null at the start of the feed). */
export const markedChangesPageSchema = changesPageSchema.extend({
  mark: feedMark.nullable().optional(),
})
export type MarkedChangesPage = z.infer<typeof markedChangesPageSchema>

export const relayPath = '/v1/device/relay'
/** HQ ops a laptop hands back after a restore (registry/domain/reviews.ts, relayHqOps). */
export const relayRequestSchema = z.object({ ops: z.array(syncOpSchema).min(1).max(1000) })
export const relayResponseSchema = z.object({
  accepted: z.number(),
  duplicates: z.number(),
  refused: z.number(),
  deferred: z.number(),
})
export type RelayResponse = z.infer<typeof relayResponseSchema>
