import { describe, expect, it } from 'vitest'
import { compareHlc, decodeHlc, encodeHlc, HlcClock } from '../../shared/hlc'

describe('hybrid logical clock', () => {
  it('orders stamps as strings in the same order as (ms, counter, node)', () => {
    const a = encodeHlc({ ms: 999, counter: 35, node: 'a' })
    const b = encodeHlc({ ms: 1000, counter: 0, node: 'a' })
    const c = encodeHlc({ ms: 1000, counter: 1, node: 'a' })
    expect([c, a, b].sort()).toEqual([a, b, c])
    expect(decodeHlc(c)).toEqual({ ms: 1000, counter: 1, node: 'a' })
  })

  it('keeps increasing when the wall clock stands still or goes backwards', () => {
    let wall = 5_000
    const clock = new HlcClock('dev1', () => wall)
    const first = clock.tick()
    const second = clock.tick()
    wall = 1_000 // clock set back by a person
    const third = clock.tick()
    expect(compareHlc(first, second)).toBe(-1)
    expect(compareHlc(second, third)).toBe(-1)
  })

  it('sorts after a remote stamp from a clock three days ahead, and never wedges', () => {
    const threeDays = 3 * 24 * 3600 * 1000
    const local = new HlcClock('office', () => 1_000_000)
    const remote = new HlcClock('hq', () => 1_000_000 + threeDays)
    const theirs = remote.tick()
    const merged = local.receive(theirs)
    expect(compareHlc(theirs, merged)).toBe(-1)
    expect(compareHlc(merged, local.tick())).toBe(-1)
  })

  it('resumes after a restart from the persisted stamp', () => {
    const before = new HlcClock('dev', () => 10)
    before.tick()
    const persisted = before.tick()
    const after = new HlcClock('dev', () => 1, persisted)
    expect(compareHlc(persisted, after.tick())).toBe(-1)
  })

  it('refuses a malformed stamp', () => {
    expect(() => decodeHlc('yesterday')).toThrow(/Not a hybrid logical clock/)
  })
})
