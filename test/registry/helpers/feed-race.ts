import { sql } from 'kysely'
import type { RegistryDb } from '../../../registry/db/database'
import { appendChanges, readChanges } from '../../../registry/domain/feed'
import { makeOffice } from './harness'

export type RaceOptions = {
  writers: number
  transactionsPerWriter: number
  changesPerTransaction: number
  readers: number
  pageSize: number
  sleep: boolean
}
export type RaceResult = { written: number; problems: string[] }

const position = (cursor: string): [bigint, bigint] => {
  const [txid, id] = cursor.split(':')
  return [BigInt(txid ?? 0), BigInt(id ?? 0)]
}
const after = (a: string, b: string): boolean => {
  const [at, ai] = position(a)
  const [bt, bi] = position(b)
  return at > bt || (at === bt && ai > bi)
}

/**
 * Many writers append changes in transactions that commit in a random order (a short sleep after
 * the insert holds some open while later ones commit), while readers page through the feed with
 * a cursor. When every writer is done, each reader drains the feed; then each must have seen every
 * committed change exactly once, in strictly increasing positions.
 */
export async function runFeedRace(db: RegistryDb, options: RaceOptions): Promise<RaceResult> {
  const office = await makeOffice(db)
  const written: string[] = []
  let writersDone = false

  const writer = async (w: number): Promise<void> => {
    for (let t = 0; t < options.transactionsPerWriter; t++) {
      const ids = Array.from({ length: options.changesPerTransaction }, (_, c) => `${w}.${t}.${c}`)
      await db.transaction().execute(async (trx) => {
        await appendChanges(
          trx,
          ids.map((entityId) => ({ officeId: office.id, kind: 'race', entityId })),
        )
        if (options.sleep && Math.random() < 0.5)
          await sql`SELECT pg_sleep(${Math.random() * 0.01})`.execute(trx)
      })
      written.push(...ids)
    }
  }

  const reader = async (): Promise<string[]> => {
    const seen: string[] = []
    let cursor = ''
    for (;;) {
      const done = writersDone
      const page = await readChanges(db, { officeId: office.id }, cursor, options.pageSize)
      for (const change of page.changes) {
        if (cursor !== '' && !after(change.cursor, cursor))
          throw new Error(`cursor went backwards: ${change.cursor} after ${cursor}`)
        cursor = change.cursor
        seen.push(change.entityId)
      }
      if (done && page.changes.length === 0) return seen
      if (page.changes.length === 0) await new Promise((resolve) => setTimeout(resolve, 2))
    }
  }

  const readers = Array.from({ length: options.readers }, () => reader())
  await Promise.all(Array.from({ length: options.writers }, (_, w) => writer(w)))
  writersDone = true
  const views = await Promise.all(readers)
  const problems: string[] = []
  const expected = new Set(written)
  views.forEach((seen, r) => {
    const counts = new Map<string, number>()
    for (const id of seen) counts.set(id, (counts.get(id) ?? 0) + 1)
    const twice = [...counts].filter(([, n]) => n > 1).map(([id]) => id)
    const missed = [...expected].filter((id) => !counts.has(id))
    const unknown = [...counts.keys()].filter((id) => !expected.has(id))
    if (twice.length + missed.length + unknown.length > 0) {
      problems.push(
        `reader ${r}: ${missed.length} missed (${missed.slice(0, 5).join(', ')}), ${twice.length} seen twice, ${unknown.length} unknown`,
      )
    }
  })
  return { written: written.length, problems }
}
