/** What the idle timer needs from the clock; the browser's by default, a fake one in tests. */
export type IdleClock = {
  now: () => number
  setTimeout: (run: () => void, ms: number) => unknown
  clearTimeout: (handle: unknown) => void
}

export type IdleTimer = {
  /** Call on every key press, click or pointer move: cheap, it only notes the time. */
  activity: () => void
  stop: () => void
}

const browserClock: IdleClock = {
  now: () => Date.now(),
  setTimeout: (run, ms) => globalThis.setTimeout(run, ms),
  clearTimeout: (handle) =>
    globalThis.clearTimeout(handle as ReturnType<typeof globalThis.setTimeout>),
}

/**
 * Calls `onIdle` once after `limitMs` without activity. Activity only records the time, so a
 * mouse move costs nothing; the one pending timeout re-arms itself for the time still left when it
 * fires early. Stops after firing: the lock screen starts a new timer after the next sign-in.
 */
export function startIdleTimer(
  limitMs: number,
  onIdle: () => void,
  clock: IdleClock = browserClock,
): IdleTimer {
  let last = clock.now()
  let handle: unknown = null
  const arm = (ms: number) => {
    handle = clock.setTimeout(check, ms)
  }
  function check(): void {
    const left = last + limitMs - clock.now()
    if (left > 0) return arm(left)
    handle = null
    onIdle()
  }
  arm(limitMs)
  return {
    activity: () => {
      last = clock.now()
    },
    stop: () => {
      if (handle !== null) clock.clearTimeout(handle)
      handle = null
    },
  }
}

/**
 * Runs `run` on the first call and then at most once per `everyMs`: activity reaches the core
 * (whose idle clock locks a laptop whose renderer stopped calling) without a call per mouse move.
 */
export function atMostEvery(everyMs: number, run: () => void, clock: IdleClock = browserClock): () => void {
  let last = Number.NEGATIVE_INFINITY
  return () => {
    const now = clock.now()
    if (now - last < everyMs) return
    last = now
    run()
  }
}

/** How often activity is reported to the core: well inside its idle limit. */
export const reportInterval = (limitMs: number) => Math.min(60_000, Math.max(1_000, limitMs / 4))

/** The DOM events that count as someone at the keyboard. */
export const activityEvents = [
  'keydown',
  'pointerdown',
  'pointermove',
  'wheel',
  'touchstart',
] as const
