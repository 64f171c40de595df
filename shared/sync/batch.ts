/**
 * Splits what waits to be pushed into batches bounded by count and by (uncompressed JSON) bytes,
 * in order. One op larger than the byte bound still travels, alone.
 */
export const defaultBatchLimits = { maxOps: 1000, maxBytes: 2 * 1024 * 1024 } as const

export type BatchLimits = { maxOps: number; maxBytes: number }

export function splitBatches<T>(
  items: readonly T[],
  limits: BatchLimits,
  size: (item: T) => number,
): T[][] {
  const batches: T[][] = []
  let current: T[] = []
  let bytes = 0
  for (const item of items) {
    const itemBytes = size(item)
    if (
      current.length > 0 &&
      (current.length >= limits.maxOps || bytes + itemBytes > limits.maxBytes)
    ) {
      batches.push(current)
      current = []
      bytes = 0
    }
    current.push(item)
    bytes += itemBytes
  }
  if (current.length > 0) batches.push(current)
  return batches
}
