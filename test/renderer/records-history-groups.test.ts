import { describe, expect, it } from 'vitest'
import type { HistoryEntry } from '../../shared/api/records'
import { groupHistory } from '../../renderer/src/screens/records/history-groups'

let seq = 0
const op = (
  kind: HistoryEntry['kind'],
  path: string,
  before: unknown,
  after: unknown,
  at: number,
  userId = 'ana',
): HistoryEntry => ({
  opId: `op${++seq}`,
  seq,
  kind,
  path,
  before,
  after,
  revertsOpId: null,
  userId,
  deviceId: 'd',
  hlc: String(seq),
  at,
})

describe('history timeline', () => {
  it('folds one person’s typing into one change per field, newest first, and keeps the op before the run', () => {
    seq = 0
    const entries = [
      op('create', '', null, { values: {} }, 0),
      op('set', 'name', null, 'Z', 1000),
      op('set', '#instanceName', null, 'Z household', 1000),
      op('set', 'name', 'Z', 'Za', 2000),
      op('set', 'name', 'Za', 'Zainab', 3000),
      op('status', '', 'draft', 'complete', 4000),
      op('set', 'name', 'Zainab', 'Zeinab', 5000),
      op('set', 'name', 'Zeinab', 'Zeinabu', 6000, 'bo'),
    ]
    const items = groupHistory(entries)
    const summary = items.map((i) =>
      i.kind === 'event'
        ? i.entry.kind
        : `${i.path}:${String(i.first.before)}→${String(i.last.after)}×${i.count}@${i.previousOpId}`,
    )
    expect(summary).toEqual([
      'name:Zeinab→Zeinabu×1@op7',
      'name:Zainab→Zeinab×1@op6',
      'status',
      'name:null→Zainab×3@op1',
      '#instanceName:null→Z household×1@op2',
      'create',
    ])
  })
})
