import { brotliCompressSync, gzipSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import { pushOpsRequestSchema } from '../../shared/registry-api'
import type { SyncOp } from '../../shared/sync/ops'
import { syncOpSchema } from '../../shared/sync/ops'
import { decodeBatch, encodeBatch } from '../../shared/sync/wire'
import { clock, id, op, version } from './helpers/wire-ops'


const create = (values: unknown, extra: Record<string, unknown> = {}): SyncOp =>
  op({
    kind: 'create',
    fieldPath: '',
    newValue: { formVersionId: version, values, status: 'draft', ...extra },
  })

describe('the compact wire form of an op batch', () => {
  it('gives back every op as it was, whatever its kind and values', () => {
    const record = id()
    const ops = [
      create({ name: 'Amina', age: 31, tags: ['a', 'b'], nested: { x: null } }),
      create({ age: 4, name: 'Bo', extra: 'only here' }, { instanceName: 'Bo 4' }),
      create({}),
      create('not an object'),
      op({ kind: 'create', fieldPath: '', newValue: null }),
      op({
        recordId: record,
        fieldPath: 'q1',
        oldValue: 'x',
        newValue: { deep: [1, 2] },
        baseHlc: clock(5),
      }),
      op({
        recordId: record,
        kind: 'status',
        fieldPath: '',
        newValue: 'complete',
        hlc: clock(7, 'registry'),
      }),
      op({
        recordId: record,
        kind: 'delete',
        fieldPath: '',
        newValue: true,
        seen: { q1: clock(6), '#status': clock(7) },
      }),
      op({
        recordId: record,
        kind: 'resolve',
        fieldPath: 'q1',
        newValue: 0,
        resolves: ['a:b', 'c:d'],
        userId: 'hq',
      }),
    ]
    const wire = JSON.parse(JSON.stringify(encodeBatch(ops))) as ReturnType<typeof encodeBatch>
    const back = decodeBatch(wire).map((o) => syncOpSchema.parse(o))
    expect(back).toEqual(ops)
    expect(pushOpsRequestSchema.parse(wire)).toEqual({ ops })
  })

  it('still takes the plain { ops } of older clients', () => {
    const ops = [create({ a: 1 }), op({})]
    expect(pushOpsRequestSchema.parse(JSON.parse(JSON.stringify({ ops })))).toEqual({ ops })
  })

  it('refuses a batch whose columns disagree instead of guessing', () => {
    const wire = encodeBatch([create({ a: 1, b: 2 }), create({ a: 3, b: 4 })])
    expect(pushOpsRequestSchema.safeParse({ ...wire, userId: [0] }).success).toBe(false)
    expect(pushOpsRequestSchema.safeParse({ ...wire, node: [0, 99] }).success).toBe(false)
    const key = Object.keys(wire.columns)[0] ?? ''
    expect(
      pushOpsRequestSchema.safeParse({ ...wire, columns: { ...wire.columns, [key]: [1] } }).success,
    ).toBe(false)
    expect(
      pushOpsRequestSchema.safeParse({ ...wire, opId: wire.opId.map(() => 'not-a-uuid') }).success,
    ).toBe(false)
  })

  it('compresses records of thirty fields well below the gzip of their plain JSON', () => {
    const values = Array.from({ length: 1000 }, (_, i) => {
      const row: Record<string, unknown> = { name: `Person ${(i * 7919) % 1000}` }
      for (let f = 0; f < 29; f++)
        row[`q${f}`] = f % 2 ? ['Gulu', 'Lira', 'Arua'][(i + f) % 3] : (i * f) % 97
      return row
    })
    const plain = gzipSync(JSON.stringify(values)).length
    const wire = brotliCompressSync(
      JSON.stringify(encodeBatch(values.map((v) => create(v)))),
    ).length
    // Each op also carries two ids and a clock that the plain JSON does not have.
    expect(wire).toBeLessThan(plain * 1.3)
  })
})
