// The records both sides of the sync benchmark send: ~30 fields of numbers, district names and
// short text answers, the same for Outpost and PouchDB, derived from the index alone.
import { rssMbOf } from './server-process'

const districts = ['Gulu', 'Lira', 'Mbarara', 'Kasese', 'Arua', 'Soroti', 'Masaka', 'Hoima']

export function benchValues(i: number): Record<string, unknown> {
  const h = (i * 2654435761) >>> 0
  const row: Record<string, unknown> = { name: `Person ${h % 100000}`, age: 18 + (h % 70) }
  for (let f = 0; f < 28; f++)
    row[`q${f}`] =
      f % 3 === 0
        ? h % (f + 7)
        : f % 3 === 1
          ? districts[(h >> f) % districts.length]
          : `answer ${f} of ${h % 997}`
  return row
}

/** Deterministic pseudo-random bytes (incompressible, like photos), seeded by the file's index. */
export function benchFile(index: number, size: number): Uint8Array {
  const bytes = new Uint8Array(size)
  let x = (index + 1) * 2654435761
  for (let i = 0; i < size; i += 4) {
    x ^= x << 13
    x ^= x >>> 17
    x ^= x << 5
    bytes[i] = x & 255
    bytes[i + 1] = (x >>> 8) & 255
    bytes[i + 2] = (x >>> 16) & 255
    bytes[i + 3] = (x >>> 24) & 255
  }
  return bytes
}

/**
 * Peak resident memory of this process while `run` runs, sampled every 25 ms, and of the server
 * process `serverPid` when the server runs in one of its own (`serverPeakRssMb`).
 */
export async function measure<T>(
  run: () => Promise<T>,
  serverPid?: number,
): Promise<{ ms: number; peakRssMb: number; serverPeakRssMb?: number; result: T }> {
  let peak = process.memoryUsage().rss
  let serverPeak = 0
  const sample = (): void => {
    peak = Math.max(peak, process.memoryUsage().rss)
    if (serverPid) serverPeak = Math.max(serverPeak, rssMbOf(serverPid))
  }
  const sampler = setInterval(sample, 25)
  const start = performance.now()
  try {
    const result = await run()
    const ms = performance.now() - start
    sample()
    const mb = Math.round(peak / 1024 / 1024)
    return {
      ms: Number(ms.toFixed(1)),
      peakRssMb: mb,
      ...(serverPid ? { serverPeakRssMb: serverPeak } : {}),
      result,
    }
  } finally {
    clearInterval(sampler)
  }
}

export const throttledLink = { bytesPerSecond: 256_000 / 8, latencyMs: 300 }

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  return Number((sorted[Math.floor(sorted.length / 2)] ?? 0).toFixed(1))
}
