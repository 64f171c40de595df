import { describe, expect, it } from 'vitest'
import {
  compileXPath,
  element,
  indexedChildrenWhere,
  memoryModel,
  type ChildrenWhere,
  type ElementSpec,
  type MemoryModel,
  type NodeModel,
} from '../../../../shared/forms/xpath'

const villages = (count: number, districts: number): ElementSpec => ({
  name: 'root',
  children: Array.from({ length: count }, (_, i) => ({
    name: 'item',
    children: [
      { name: 'name', children: `v${i}` },
      { name: 'label', children: `Village ${i}` },
      { name: 'district', children: `d${i % districts}` },
    ],
  })),
})

const makeModel = (index: boolean): MemoryModel =>
  memoryModel({
    primary: element({
      name: 'data',
      children: [
        { name: 'district', children: 'd7' },
        { name: 'n', children: '7' },
      ],
    }),
    instances: { villages: element(villages(50_000, 500)) },
    index,
  })

/** Wraps a model's index to count how often the engine asks it. */
const counting = (model: NodeModel): { model: NodeModel; calls: () => number } => {
  let calls = 0
  const inner = model.childrenWhere
  const childrenWhere: ChildrenWhere | undefined =
    inner === undefined ? undefined : (...args) => ((calls += 1), inner(...args))
  return {
    model: { ...model, instance: (id) => model.instance(id), childrenWhere },
    calls: () => calls,
  }
}

const median = (samples: number[]): number =>
  samples.sort((a, b) => a - b)[Math.floor(samples.length / 2)]!

describe('index hook for [child = value] predicates', () => {
  const filter = compileXPath("instance('villages')/root/item[district = /data/district]/name")

  it('answers from the index and agrees with a scan', () => {
    const indexed = counting(makeModel(true))
    const scanned = makeModel(false)
    const viaIndex = filter.evaluateNodes({ model: indexed.model }).map((n) => n.stringValue())
    const viaScan = filter.evaluateNodes({ model: scanned }).map((n) => n.stringValue())
    expect(viaIndex).toHaveLength(100)
    expect(viaIndex).toEqual(viaScan)
    expect(viaIndex.slice(0, 2)).toEqual(['v7', 'v507'])
    expect(indexed.calls()).toBe(1)
  })

  it('filters 50,000 items in well under a millisecond once the index is built', () => {
    const model = makeModel(true)
    filter.evaluateNodes({ model })
    const samples = Array.from({ length: 50 }, () => {
      const start = performance.now()
      filter.evaluateNodes({ model })
      return performance.now() - start
    })
    // Typically ~0.02 ms; the bound leaves room for a slow CI machine.
    expect(median(samples)).toBeLessThan(2)
  })

  it('uses the index for value = name, current() and later predicates too', () => {
    const { model, calls } = counting(makeModel(true))
    const district = compileXPath('/data/district').evaluateNodes({ model })[0]!
    const ctx = { model, node: district }
    expect(
      compileXPath("count(instance('villages')/root/item['d7' = district])").evaluateNumber(ctx),
    ).toBe(100)
    expect(
      compileXPath("instance('villages')/root/item[district = current()][2]/name").evaluateString(
        ctx,
      ),
    ).toBe('v507')
    expect(
      compileXPath(
        "instance('villages')/root/item[district = current()][position() = last()]/name",
      ).evaluateString(ctx),
    ).toBe('v49507')
    expect(calls()).toBe(3)
  })

  it('scans when the value depends on the candidate or is not text', () => {
    const { model, calls } = counting(makeModel(true))
    expect(
      compileXPath(
        "count(instance('villages')/root/item[district = concat('d', substring(name, 2, 1))])",
      ).evaluateNumber({ model }),
    ).toBeGreaterThan(0)
    // A number compares numerically ("07" = 7), which a text index cannot answer.
    expect(
      compileXPath("count(instance('villages')/root/item[name = 7])").evaluateNumber({ model }),
    ).toBe(0)
    expect(calls()).toBe(0)
  })

  it('falls back to scanning parents outside the indexed trees', () => {
    const where = indexedChildrenWhere(() => false)
    const parent = element({
      name: 'root',
      children: [{ name: 'item', children: [{ name: 'x', children: 'a' }] }],
    })
    expect(
      where([parent], { prefix: '', localName: 'item' }, { prefix: '', localName: 'x' }, 'a'),
    ).toBeUndefined()
    expect(
      indexedChildrenWhere(() => true)(
        [parent],
        { prefix: '', localName: 'item' },
        { prefix: '', localName: 'x' },
        'a',
      ),
    ).toHaveLength(1)
  })

  it('returns each candidate once when it has two equal key children', () => {
    const model = memoryModel({
      primary: element({ name: 'data' }),
      instances: {
        list: element({
          name: 'root',
          children: [
            {
              name: 'item',
              children: [
                { name: 'k', children: 'a' },
                { name: 'k', children: 'a' },
              ],
            },
          ],
        }),
      },
      index: true,
    })
    expect(
      compileXPath("count(instance('list')/root/item[k = 'a'])").evaluateNumber({ model }),
    ).toBe(1)
  })
})
