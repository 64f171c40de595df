/**
 * Hybrid logical clock (Kulkarni et al.): timestamps that follow wall time when clocks are sane
 * and still order causally when they are not. Encoded as a fixed-width string so that string
 * order is clock order: `MMMMMMMMMMMMMMM-CCCCC-node` (15-digit ms, 5-digit base-36 counter).
 */
export type Hlc = { ms: number; counter: number; node: string }

const maxCounter = 36 ** 5 - 1

export function encodeHlc(hlc: Hlc): string {
  return `${String(hlc.ms).padStart(15, '0')}-${hlc.counter.toString(36).padStart(5, '0')}-${hlc.node}`
}

export function decodeHlc(text: string): Hlc {
  const match = /^(\d{15})-([0-9a-z]{5})-(.+)$/.exec(text)
  if (!match?.[1] || !match[2] || !match[3]) throw new Error(`Not a hybrid logical clock value: ${text}`)
  return { ms: Number(match[1]), counter: parseInt(match[2], 36), node: match[3] }
}

export function compareHlc(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

/**
 * One node's clock. `tick` stamps a local event; `receive` merges a remote stamp so that the next
 * local event sorts after everything this node has seen, whatever the wall clock says.
 */
export class HlcClock {
  private last: Hlc

  constructor(
    readonly node: string,
    private readonly wall: () => number = Date.now,
    last?: string,
  ) {
    this.last = last ? decodeHlc(last) : { ms: 0, counter: 0, node }
  }

  tick(): string {
    const now = this.wall()
    this.last = now > this.last.ms ? this.stamp(now, 0) : this.stamp(this.last.ms, this.last.counter + 1)
    return encodeHlc(this.last)
  }

  receive(remote: string): string {
    const theirs = decodeHlc(remote)
    const ms = Math.max(this.wall(), this.last.ms, theirs.ms)
    const mine = ms === this.last.ms ? this.last.counter + 1 : 0
    const seen = ms === theirs.ms ? theirs.counter + 1 : 0
    this.last = this.stamp(ms, Math.max(mine, seen))
    return encodeHlc(this.last)
  }

  /** The current stamp, to persist so that a restart never goes backwards. */
  current(): string {
    return encodeHlc(this.last)
  }

  private stamp(ms: number, counter: number): Hlc {
    // Over 60 million events in one millisecond cannot happen in practice; if it does, time
    // moves on by a millisecond rather than breaking the order.
    return counter > maxCounter ? { ms: ms + 1, counter: 0, node: this.node } : { ms, counter, node: this.node }
  }
}
