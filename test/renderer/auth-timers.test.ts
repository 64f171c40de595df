import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { atMostEvery, reportInterval, startIdleTimer, type IdleClock } from '../../renderer/src/screens/auth/idle-timer'
import { retryAfterOf, secondsLeft } from '../../renderer/src/screens/auth/retry-countdown'

const fakeClock: IdleClock = {
  now: () => Date.now(),
  setTimeout: (run, ms) => setTimeout(run, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
}

describe('the idle timer', () => {
  beforeEach(() => vi.useFakeTimers({ now: 1_000_000 }))
  afterEach(() => vi.useRealTimers())

  it('locks after the limit without activity, once', () => {
    const onIdle = vi.fn()
    startIdleTimer(5 * 60_000, onIdle, fakeClock)
    vi.advanceTimersByTime(5 * 60_000 - 1)
    expect(onIdle).not.toHaveBeenCalled()
    vi.advanceTimersByTime(1)
    expect(onIdle).toHaveBeenCalledTimes(1)
    vi.advanceTimersByTime(60 * 60_000)
    expect(onIdle).toHaveBeenCalledTimes(1)
  })

  it('counts the limit from the last activity', () => {
    const onIdle = vi.fn()
    const timer = startIdleTimer(60_000, onIdle, fakeClock)
    vi.advanceTimersByTime(50_000)
    timer.activity()
    vi.advanceTimersByTime(50_000) // 100 s since start, 50 s since the key press
    expect(onIdle).not.toHaveBeenCalled()
    vi.advanceTimersByTime(9_999)
    expect(onIdle).not.toHaveBeenCalled()
    vi.advanceTimersByTime(1)
    expect(onIdle).toHaveBeenCalledTimes(1)
  })

  it('keeps a single pending timeout however many events arrive', () => {
    const timer = startIdleTimer(60_000, vi.fn(), fakeClock)
    for (let i = 0; i < 1000; i++) timer.activity()
    expect(vi.getTimerCount()).toBe(1)
  })

  it('never fires once stopped', () => {
    const onIdle = vi.fn()
    const timer = startIdleTimer(1_000, onIdle, fakeClock)
    timer.stop()
    vi.advanceTimersByTime(10_000)
    expect(onIdle).not.toHaveBeenCalled()
    expect(vi.getTimerCount()).toBe(0)
  })
})

describe('the sign-in back-off countdown', () => {
  it('reads retryAfterMs from the error details and ignores anything else', () => {
    expect(retryAfterOf({ retryAfterMs: 4000 })).toBe(4000)
    expect(retryAfterOf({ retryAfterMs: 0 })).toBeNull()
    expect(retryAfterOf({ retryAfterMs: '4000' })).toBeNull()
    expect(retryAfterOf(undefined)).toBeNull()
    expect(retryAfterOf(null)).toBeNull()
  })

  it('counts whole seconds down to zero, rounding up', () => {
    expect(secondsLeft(4000, 10_000, 10_000)).toBe(4)
    expect(secondsLeft(4000, 10_000, 10_001)).toBe(4)
    expect(secondsLeft(4000, 10_000, 13_001)).toBe(1)
    expect(secondsLeft(4000, 10_000, 14_000)).toBe(0)
    expect(secondsLeft(4000, 10_000, 20_000)).toBe(0)
  })
})

describe('the activity report to the core', () => {
  beforeEach(() => vi.useFakeTimers({ now: 1_000_000 }))
  afterEach(() => vi.useRealTimers())

  it('sends the first activity at once, then at most once per interval', () => {
    const send = vi.fn()
    const report = atMostEvery(60_000, send, fakeClock)
    report()
    expect(send).toHaveBeenCalledTimes(1)
    for (let i = 0; i < 100; i++) {
      vi.advanceTimersByTime(500) // a pointer moving for 50 s
      report()
    }
    expect(send).toHaveBeenCalledTimes(1)
    vi.advanceTimersByTime(10_000)
    report()
    expect(send).toHaveBeenCalledTimes(2)
  })

  it('reports well inside the idle limit, however short', () => {
    expect(reportInterval(15 * 60_000)).toBe(60_000)
    expect(reportInterval(60_000)).toBe(15_000)
  })
})
