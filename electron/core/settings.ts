import { defaultSettings, settingsSchema, type Settings } from '../../shared/api'
import type { Store } from './db/open'

export async function readSettings(store: Store): Promise<Settings> {
  const rows = await store.db.selectFrom('settings').select(['key', 'value']).execute()
  const stored: Record<string, unknown> = {}
  for (const row of rows) stored[row.key] = JSON.parse(row.value) as unknown
  // A value written by a newer or broken version falls back to the default rather than
  // locking the person out of the app.
  const parsed = settingsSchema.partial().safeParse(stored)
  return { ...defaultSettings, ...(parsed.success ? parsed.data : {}) }
}

export async function updateSettings(
  store: Store,
  patch: Partial<Settings>,
  now: () => number = Date.now,
): Promise<Settings> {
  await store.db.transaction().execute(async (trx) => {
    for (const [key, value] of Object.entries(patch)) {
      if (value === undefined) continue
      await trx
        .insertInto('settings')
        .values({ key, value: JSON.stringify(value), updated_at: now() })
        .onConflict((oc) => oc.column('key').doUpdateSet({ value: JSON.stringify(value), updated_at: now() }))
        .execute()
    }
  })
  return readSettings(store)
}
