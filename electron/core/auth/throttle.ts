import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { z } from 'zod'
import { AppFailure } from '../../../shared/errors'
import { writeFileAtomic } from '../db/durable'

/**
 * Failed sign-ins per user name, in a small file next to the keyring so a restart does not reset
 * the wait. It slows down guessing at the keyboard; it cannot stop someone who copies the disk
 * (the password KDF is what does that).
 */
const stateSchema = z.record(z.string(), z.object({ failures: z.number().int(), lastAt: z.number() }))
type ThrottleState = z.infer<typeof stateSchema>

/** Three free tries, then 1 s, 2 s, 4 s … doubling up to 15 minutes. */
export const freeFailures = 3
export const maxWaitMs = 15 * 60_000

export function waitAfter(failures: number): number {
  if (failures < freeFailures) return 0
  return Math.min(maxWaitMs, 1000 * 2 ** (failures - freeFailures))
}

export function createThrottle(dataDir: string, now: () => number = Date.now) {
  const file = join(dataDir, 'login-throttle.json')
  async function read(): Promise<ThrottleState> {
    try {
      const parsed = stateSchema.safeParse(JSON.parse(await readFile(file, 'utf8')))
      return parsed.success ? parsed.data : {}
    } catch {
      return {} // absent (nothing failed yet) or unreadable: start counting again
    }
  }
  return {
    /** Refuses with `rate_limited` while the user name must still wait. */
    check: async (username: string): Promise<void> => {
      const entry = (await read())[username]
      if (!entry) return
      const retryAfterMs = entry.lastAt + waitAfter(entry.failures) - now()
      if (retryAfterMs > 0) {
        const seconds = Math.ceil(retryAfterMs / 1000)
        throw new AppFailure(
          'rate_limited',
          `Too many wrong passwords for "${username}". Wait ${seconds < 120 ? `${seconds} seconds` : `${Math.ceil(seconds / 60)} minutes`}, then try again.`,
          { retryAfterMs },
        )
      }
    },
    failed: async (username: string): Promise<void> => {
      const state = await read()
      state[username] = { failures: (state[username]?.failures ?? 0) + 1, lastAt: now() }
      await writeFileAtomic(file, JSON.stringify(state))
    },
    succeeded: async (username: string): Promise<void> => {
      const state = await read()
      if (!state[username]) return
      delete state[username]
      await writeFileAtomic(file, JSON.stringify(state))
    },
  }
}
export type Throttle = ReturnType<typeof createThrottle>
