/** Reads the wait the core asks for after failed sign-ins (`details.retryAfterMs`), if any. */
export function retryAfterOf(details: unknown): number | null {
  if (typeof details !== 'object' || details === null) return null
  const value = (details as { retryAfterMs?: unknown }).retryAfterMs
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : null
}

/** Whole seconds still to wait, rounded up so the screen never shows 0 while the core still refuses. */
export function secondsLeft(retryAfterMs: number, receivedAt: number, now: number): number {
  return Math.max(0, Math.ceil((receivedAt + retryAfterMs - now) / 1000))
}
