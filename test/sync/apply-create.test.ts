import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { indexBacklog } from '../../electron/core/records/index-backlog'
import type { Laptop, World } from './helpers/world'
import { makeWorld } from './helpers/world'

/**
 * A record pulled by a laptop that lacks it, made by one plain create, is written whole
 * (apply.ts): it must hold what the laptop that made it holds — row, clocks, search text,
 * answers index (once the search backlog is indexed) and counts — and merge later edits the same
 * way.
 */
describe('a record pulled from its create', () => {
  let world: World
  beforeAll(async () => {
    world = await makeWorld()
  })
  afterAll(async () => {
    await world.close()
  })

  function state(laptop: Laptop, recordId: string): unknown {
    const db = laptop.store.sqlite
    // Pulled records wait in the search backlog until the core is idle or a search reads the
    // indexes (records/index-backlog.ts): compare what a search sees.
    indexBacklog(db)
    const row = db
      .prepare(
        'SELECT rid, form_id, form_version_id, status, instance_name, values_json, deleted_at FROM records WHERE id = ?',
      )
      .get(recordId) as { rid: number } & Record<string, unknown>
    const { rid, values_json, ...rest } = row
    return {
      ...rest,
      // Key order aside: the registry's jsonb gives the keys back in its own order.
      values: JSON.parse(String(values_json)) as unknown,
      clocks: db
        .prepare('SELECT key, clock FROM sync_clocks WHERE record_id = ? ORDER BY key')
        .all(recordId),
      answers: db.prepare('SELECT a FROM records_answers WHERE rowid = ?').get(rid),
      searchable: db
        .prepare(
          `SELECT count(*) AS n FROM records_fts WHERE records_fts MATCH 'Kasese' AND rowid = ?`,
        )
        .get(rid),
      counts: db.prepare('SELECT form_id, status, n FROM record_counts ORDER BY status').all(),
    }
  }

  it('holds what the laptop that made it holds, and takes later edits alike', async () => {
    const a = await world.laptop('maker')
    const b = await world.laptop('puller')
    const ids = [
      await a.create({ name: 'Amina', age: 31, district: 'Kasese', tags: ['x', 'y'] }),
      await a.create({ name: 'Okello', nested: { n: null } }),
    ]
    await a.sync()
    await b.sync()
    for (const id of ids) expect(state(b, id)).toEqual(state(a, id))
    // A later edit on each side merges from the pulled record's clocks.
    await b.set(ids[0] ?? '', { age: 32 })
    await a.set(ids[1] ?? '', { name: 'Okello P.' })
    await b.sync()
    await a.sync()
    await b.sync()
    for (const id of ids) expect(state(b, id)).toEqual(state(a, id))
    const values = (laptop: Laptop, id: string | undefined): unknown =>
      JSON.parse(
        (
          laptop.store.sqlite.prepare('SELECT values_json FROM records WHERE id = ?').get(id) as {
            values_json: string
          }
        ).values_json,
      )
    expect(values(a, ids[0])).toMatchObject({ age: 32, district: 'Kasese' })
    expect(values(b, ids[1])).toMatchObject({ name: 'Okello P.' })
  })
})
