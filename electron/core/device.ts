import { uuidv7 } from 'uuidv7'
import { HlcClock } from '../../shared/hlc'
import type { Store } from './db/open'

export type Device = { id: string; clock: HlcClock }

/**
 * This installation's identity. Created on first start; its clock resumes from the last stamp it
 * persisted so that a restart with a wrong wall clock never issues an earlier timestamp.
 */
export async function loadSelfDevice(store: Store, now: () => number = Date.now): Promise<Device> {
  const existing = await store.db
    .selectFrom('devices')
    .select(['id', 'last_hlc'])
    .where('is_self', '=', 1)
    .executeTakeFirst()
  if (existing) return { id: existing.id, clock: new HlcClock(existing.id, now, existing.last_hlc ?? undefined) }
  const id = uuidv7()
  await store.db
    .insertInto('devices')
    .values({ id, name: 'This laptop', is_self: 1, public_key: null, last_hlc: null, created_at: now() })
    .execute()
  return { id, clock: new HlcClock(id, now) }
}
