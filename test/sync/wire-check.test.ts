import { describe, expect, it } from 'vitest'
import { parsePushOps, pushOpsRequestSchema } from '../../shared/registry-api'
import type { SyncOp } from '../../shared/sync/ops'
import { encodeBatch } from '../../shared/sync/wire'
import { readWireBatch } from '../../shared/sync/wire-check'
import { clock, id, op, version } from './helpers/wire-ops'


function sampleBatch(): unknown {
  const record = id()
  const ops = [
    op({
      kind: 'create',
      recordId: record,
      fieldPath: '',
      newValue: { formVersionId: version, values: { name: 'Amina', age: 31 }, status: 'draft' },
    }),
    op({
      kind: 'create',
      fieldPath: '',
      newValue: { formVersionId: version, values: { age: 4, nested: { x: [1] } } },
    }),
    op({ recordId: record, fieldPath: 'age', oldValue: 31, newValue: 32, baseHlc: clock(5) }),
    op({
      recordId: record,
      kind: 'delete',
      fieldPath: '',
      seen: { age: clock(7), name: clock(6) },
    }),
    op({ kind: 'resolve', fieldPath: 'age', newValue: 'x', resolves: ['a:b', 'c:d'] }),
    op({ kind: 'status', fieldPath: '', newValue: 'submitted', userId: 'other' }),
  ]
  return JSON.parse(JSON.stringify(encodeBatch(ops))) as unknown
}

/** What the schema makes of a body: its ops, or null when it refuses it. */
function schemaOps(body: unknown): SyncOp[] | null {
  const parsed = pushOpsRequestSchema.safeParse(body)
  return parsed.success ? parsed.data.ops : null
}

type Json = Record<string, unknown> | unknown[]
const edit = (change: (batch: Record<string, Json>) => void): unknown => {
  const batch = sampleBatch() as Record<string, Json>
  change(batch)
  return batch
}
const at = (batch: Record<string, Json>, column: string): unknown[] => batch[column] as unknown[]

/** A small seeded generator, so a failing case can be replayed. */
function random(seed: number): () => number {
  let state = seed
  return () => {
    state = (state * 1103515245 + 12345) % 2 ** 31
    return state / 2 ** 31
  }
}

/** Every place inside a JSON value where a leaf or a whole branch can be replaced. */
function places(value: unknown, path: (string | number)[] = []): (string | number)[][] {
  if (typeof value !== 'object' || value === null) return [path]
  const keys = Array.isArray(value) ? value.map((_, i) => i) : Object.keys(value)
  return [
    path,
    ...keys.flatMap((key) => places((value as Record<string, unknown>)[key], [...path, key])),
  ]
}

const oddities: unknown[] = [
  null,
  -1,
  0,
  1,
  2.5,
  7,
  10_000,
  '',
  'x',
  'x'.repeat(201),
  'x'.repeat(501),
  version.toUpperCase(),
  '01938a5e-0000-7000-c000-000000000001',
  clock(3),
  '000000000000003-00000-dev ice',
  [],
  [0],
  [-1],
  {},
  { a: 'b' },
  true,
]

describe('the registry reading a pushed batch without a zod object per op', () => {
  it('gives exactly the ops the schema gives for a well-formed batch', () => {
    const body = sampleBatch()
    const fast = readWireBatch(body)
    expect(fast).not.toBeNull()
    expect(fast).toEqual(schemaOps(body))
    expect(parsePushOps(body).ops).toEqual(schemaOps(body))
  })

  it.each([
    ['an op id that is not a uuid', (b: Record<string, Json>) => (at(b, 'opId')[1] = 'nope')],
    ['a record id that is not a uuid', (b: Record<string, Json>) => (at(b, 'recordId')[0] = 'x')],
    ['a form version that is not a uuid', (b: Record<string, Json>) => at(b, 'dict').unshift('x')],
    ['a kind out of range', (b: Record<string, Json>) => (at(b, 'kind')[2] = 7)],
    ['a kind that is not an integer', (b: Record<string, Json>) => (at(b, 'kind')[2] = 1.5)],
    ['a field path out of the dict', (b: Record<string, Json>) => (at(b, 'fieldPath')[2] = 999)],
    ['a clock without its counter', (b: Record<string, Json>) => (at(b, 'hlc')[0] = '1')],
    ['a clock node with a space', (b: Record<string, Json>) => at(b, 'dict').push('dev ice')],
    ['a base clock malformed', (b: Record<string, Json>) => (at(b, 'baseHlc')[2] = 'late')],
    ['a seen clock malformed', (b: Record<string, Json>) => (at(b, 'seen')[3] = { age: 'x' })],
    [
      'a seen key over 500 characters',
      (b: Record<string, Json>) => (at(b, 'seen')[3] = { ['k'.repeat(501)]: clock(1) }),
    ],
    [
      '101 resolved conflicts',
      (b: Record<string, Json>) => (at(b, 'resolves')[4] = Array.from({ length: 101 }, () => 'a')),
    ],
    [
      'a resolved conflict id over 100 characters',
      (b: Record<string, Json>) => (at(b, 'resolves')[4] = ['a'.repeat(101)]),
    ],
    ['an empty user id', (b: Record<string, Json>) => at(b, 'dict').push('')],
    [
      'a user id over 200 characters',
      (b: Record<string, Json>) => at(b, 'dict').push('u'.repeat(201)),
    ],
    ['a create shape out of range', (b: Record<string, Json>) => (at(b, 'shape')[0] = 9)],
    [
      'an unused shape with a negative field',
      (b: Record<string, Json>) => at(b, 'shapes').push([-1]),
    ],
    [
      'a value column that is not a list',
      (b: Record<string, Json>) => ((b.columns as Record<string, unknown>)['0'] = 3),
    ],
    [
      'a value column too short',
      (b: Record<string, Json>) => ((b.columns as Record<string, unknown>)['3'] = []),
    ],
    ['columns of unequal length', (b: Record<string, Json>) => at(b, 'userId').pop()],
    [
      'a dict entry over 500 characters',
      (b: Record<string, Json>) => at(b, 'dict').push('d'.repeat(501)),
    ],
    [
      'a create payload that is not an object',
      (b: Record<string, Json>) => (at(b, 'newValue')[0] = 3),
    ],
  ])('refuses %s, as the schema does', (_name, change) => {
    const body = edit(change)
    // Entries pushed onto the dict are used by the op that needs them.
    const batch = body as Record<string, unknown[]>
    const added = (batch.dict?.length ?? 0) - 1
    if (_name.includes('node')) (batch.node as number[])[1] = added
    if (_name.includes('user id')) (batch.userId as number[])[1] = added
    if (_name.includes('dict entry')) (batch.fieldPath as number[])[2] = added
    if (_name.includes('form version')) {
      // Every other dict index moved by one: point the first op's version at the new entry.
      for (const column of ['fieldPath', 'node', 'userId', 'formVersion'] as const)
        batch[column] = (batch[column] as number[]).map((i) => i + 1)
      ;(batch.formVersion as number[])[0] = 0
      batch.shapes = (batch.shapes as number[][]).map((s) => s.map((i) => i + 1))
      batch.columns = Object.fromEntries(
        Object.entries(batch.columns as unknown as Record<string, unknown>).map(([k, v]) => [
          Number(k) + 1,
          v,
        ]),
      ) as unknown as unknown[]
    }
    expect(schemaOps(body)).toBeNull()
    expect(readWireBatch(body)).toBeNull()
  })

  it('leaves to the schema a batch of more than 1,000 ops, none, and the { ops } form', () => {
    const many = edit((b) => {
      for (const column of Object.keys(b))
        if (Array.isArray(b[column]) && column !== 'dict' && column !== 'shapes')
          b[column] = Array.from({ length: 1001 }, (_, i) => (b[column] as unknown[])[i % 6])
    })
    expect(readWireBatch(many)).toBeNull()
    expect(
      readWireBatch(
        edit((b) =>
          Object.keys(b).forEach(
            (k) => Array.isArray(b[k]) && k !== 'dict' && k !== 'shapes' && (b[k] = []),
          ),
        ),
      ),
    ).toBeNull()
    const both = edit((b) => (b.ops = [op({})]))
    expect(readWireBatch(both)).toBeNull()
    expect(parsePushOps(both).ops).toHaveLength(1)
  })

  it('never takes what the schema refuses, nor gives other ops (3,000 random edits)', () => {
    const next = random(7)
    let takenBoth = 0
    for (let i = 0; i < 3000; i++) {
      const body = sampleBatch()
      for (let edits = 0; edits < 1 + Math.floor(next() * 2); edits++) {
        const spots = places(body).filter((path) => path.length > 0)
        const path = spots[Math.floor(next() * spots.length)] ?? []
        const parent = path
          .slice(0, -1)
          .reduce<unknown>((v, k) => (v as Record<string, unknown>)[k], body)
        ;(parent as Record<string | number, unknown>)[path.at(-1) ?? ''] =
          oddities[Math.floor(next() * oddities.length)]
      }
      const fast = readWireBatch(body)
      const slow = schemaOps(body)
      if (slow === null) expect(fast, JSON.stringify(body)).toBeNull()
      else if (fast !== null) {
        expect(fast).toEqual(slow)
        takenBoth++
      }
    }
    // Some edits keep the batch valid (a value changed, an index moved to another entry).
    expect(takenBoth).toBeGreaterThan(100)
  })
})
