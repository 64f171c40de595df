import { describe, expect, it } from 'vitest'
import { createdRow } from '../../registry/domain/records'
import { foldOps, packClocks, unpackClocks } from '../../registry/domain/merge-ops'
import type { SyncOp } from '../../shared/sync/ops'

const recordId = '0190a000-0000-7000-8000-000000000001'
const create = (newValue: unknown, hlc = '000001700000000-00000-node-a'): SyncOp => ({
  opId: '0190a000-0000-7000-8000-0000000000a1',
  recordId,
  formVersionId: '0190a000-0000-7000-8000-0000000000f1',
  kind: 'create',
  fieldPath: '',
  oldValue: null,
  newValue,
  hlc,
  baseHlc: null,
  seen: {},
  resolves: [],
  userId: 'u1',
})

/** What the general fold gives for a record made by `op` alone, in the stored form. */
function folded(op: SyncOp) {
  const next = foldOps({ id: recordId, office_id: 'o', values: {}, field_clocks: {} }, [
    { ...op, deviceId: 'd' },
  ])
  return {
    values: next.values,
    field_clocks: packClocks(next.clocks),
    status: next.columns.status ?? null,
    instance_name: next.columns.instance_name ?? null,
    deleted: next.columns.deleted ?? false,
  }
}

describe('a record made by one create is stored compactly', () => {
  it('gives the very row the general fold gives', () => {
    const payloads: unknown[] = [
      { values: { name: 'Amina', age: 31, q: null, nested: { a: [1, 2] } } },
      { values: { name: 'Amina' }, status: 'complete', instanceName: 'Amina 31' },
      { values: {}, status: 'draft', instanceName: null },
      { values: { a: 1 }, status: { odd: true }, instanceName: 42 },
      { formVersionId: 'x', values: { b: 'two', a: 'one' } },
      {},
      null,
      'not an object',
    ]
    for (const payload of payloads) {
      const op = create(payload)
      expect(createdRow(op), JSON.stringify(payload)).toEqual(folded(op))
    }
  })

  it('keeps one clock for all the keys the create wrote', () => {
    const op = create({ values: { name: 'Amina', age: 31 }, instanceName: 'A' })
    expect(createdRow(op)?.field_clocks).toEqual({
      [`${op.hlc} ${op.opId}`]: ['name', 'age', '#status', '#instanceName'],
    })
  })

  it('leaves reserved keys, arrays and other kinds to the general fold', () => {
    expect(createdRow(create({ values: { '#status': 'x', a: 1 } }))).toBeNull()
    expect(createdRow(create({ values: JSON.parse('{"__proto__": 1}') as object }))).toBeNull()
    expect(createdRow(create({ values: [1, 2] }))).toBeNull()
    expect(createdRow({ ...create({}), kind: 'set', fieldPath: 'a', newValue: 1 })).toBeNull()
  })
})

describe('packed field clocks', () => {
  it('unpack to the per-key clocks they were packed from', () => {
    const clocks = { a: 'c1', b: 'c2', c: 'c1', '#status': 'c1' }
    const packed = packClocks(clocks)
    expect(packed).toEqual({ c1: ['a', 'c', '#status'], c2: ['b'] })
    expect(unpackClocks(packed)).toEqual(clocks)
    expect(unpackClocks(JSON.stringify(packed))).toEqual(clocks)
  })

  it('still read the form stored before migration 0008', () => {
    expect(unpackClocks({ a: 'c1', b: 'c2' })).toEqual({ a: 'c1', b: 'c2' })
    expect(unpackClocks('{}')).toEqual({})
    expect(unpackClocks(null)).toEqual({})
  })

  it('fold the same whether the record holds them packed or not', () => {
    const record = { id: recordId, office_id: 'o', values: { a: 1, b: 2 } }
    const clocks = { a: '000001700000000-00000-n x', b: '000001700000009-00000-n y' }
    const op = {
      ...create(null, '000001700000005-00000-n'),
      kind: 'set' as const,
      fieldPath: 'a',
      newValue: 3,
      deviceId: 'd',
    }
    const plain = foldOps({ ...record, field_clocks: clocks }, [op])
    const packed = foldOps({ ...record, field_clocks: packClocks(clocks) }, [op])
    expect(packed).toEqual(plain)
    expect(packed.values).toEqual({ a: 3, b: 2 })
  })
})
