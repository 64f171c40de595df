import { describe, expect, it } from 'vitest'
import type { OpenedDatabase } from '../../registry/db/database'
import { openDatabase } from '../../registry/db/database'
import { migrate } from '../../registry/db/migrate'
import { appendChanges, readChanges } from '../../registry/domain/feed'
import { afterAll, beforeAll } from 'vitest'
import type { Backend } from './helpers/harness'
import { backends, makeOffice } from './helpers/harness'
import { runFeedRace } from './helpers/feed-race'
import type { TestCluster } from './helpers/postgres'
import { startPostgres } from './helpers/postgres'

function useDatabase(backend: Backend): () => OpenedDatabase {
  let cluster: TestCluster | undefined
  let opened: OpenedDatabase | undefined
  beforeAll(async () => {
    if (backend === 'postgres') cluster = await startPostgres()
    opened = await openDatabase(
      cluster ? { databaseUrl: await cluster.createDatabase() } : { dataDir: null },
      24,
    )
    await migrate(opened.db)
  })
  afterAll(async () => {
    await opened?.close()
    cluster?.stop()
  })
  return () => {
    if (!opened) throw new Error('not open')
    return opened
  }
}

describe.each(backends)('change feed on %s', (backend) => {
  const database = useDatabase(backend)

  it('pages through changes in order with a cursor', async () => {
    const { db } = database()
    const office = await makeOffice(db)
    for (const batch of [['a', 'b'], ['c'], ['d', 'e']]) {
      await db.transaction().execute((trx) =>
        appendChanges(
          trx,
          batch.map((entityId) => ({ officeId: office.id, kind: 'test', entityId })),
        ),
      )
    }
    const seen: string[] = []
    let cursor = ''
    for (
      let page = await readChanges(db, { officeId: office.id }, cursor, 2);
      ;
      page = await readChanges(db, { officeId: office.id }, cursor, 2)
    ) {
      seen.push(...page.changes.map((change) => change.entityId))
      cursor = page.nextCursor
      if (!page.hasMore) break
    }
    expect(seen).toEqual(['a', 'b', 'c', 'd', 'e'])
    expect((await readChanges(db, { officeId: office.id }, cursor, 2)).changes).toEqual([])
  })

  // PGlite has a single connection, so two transactions cannot overlap there: this race exists
  // only on PostgreSQL, and the test is defined only for it (not skipped).
  const onPostgres = backend === 'postgres' ? it : undefined
  onPostgres?.(
    'holds back a change committed after a later one until it commits',
    async () => {
      const { db } = database()
      const office = await makeOffice(db)
      let release = (): void => undefined
      let inserted = (): void => undefined
      const gate = new Promise<void>((resolve) => (release = resolve))
      const slowInserted = new Promise<void>((resolve) => (inserted = resolve))
      const slow = db.transaction().execute(async (trx) => {
        await appendChanges(trx, [{ officeId: office.id, kind: 'test', entityId: 'slow' }])
        inserted()
        await gate
      })
      await slowInserted
      await db
        .transaction()
        .execute((trx) =>
          appendChanges(trx, [{ officeId: office.id, kind: 'test', entityId: 'fast' }]),
        )
      const early = await readChanges(db, { officeId: office.id }, '', 10)
      expect(early.changes).toEqual([])
      release()
      await slow
      const late = await readChanges(db, { officeId: office.id }, early.nextCursor, 10)
      expect(late.changes.map((change) => change.entityId)).toEqual(['slow', 'fast'])
    },
  )

  it('gives every concurrent reader every change exactly once', async () => {
    const { db } = database()
    const iterations = backend === 'postgres' ? 5 : 1
    for (let i = 0; i < iterations; i++) {
      const result = await runFeedRace(db, {
        writers: backend === 'postgres' ? 12 : 4,
        transactionsPerWriter: 15,
        changesPerTransaction: 3,
        readers: 4,
        pageSize: 7,
        sleep: backend === 'postgres',
      })
      expect(result.problems).toEqual([])
      expect(result.written).toBeGreaterThan(0)
    }
  })
})
