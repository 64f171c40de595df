import type { AddressInfo, Socket } from 'node:net'
import { createConnection, createServer } from 'node:net'

/**
 * A loopback TCP proxy the test controls. Faults are armed for the next connection(s) and fire on
 * byte counts, never on timers:
 * - `cutRequestAfter(n)`: the client's bytes reach the server only up to n, then both sides close
 *   (a link dropped mid-upload: the server never sees a whole request);
 * - `dropResponse()`: the request reaches the server whole, the server's answer is thrown away
 *   and the client's connection is closed (the server committed; the client does not know);
 * - `cutResponseAfter(n)`: the answer is cut after n bytes (a download dropped mid-stream);
 * - `down()`/`up()`: refuse connections entirely (network gone).
 */
/** `match`: only requests whose path contains it; `skip`: let that many matching requests pass first. */
export type Fault = {
  kind: 'cutRequest' | 'cutResponse' | 'dropResponse'
  bytes: number
  match?: string
  skip?: number
}

/** A slow link: every byte waits for its turn at `bytesPerSecond`, then `latencyMs` more (each way). */
export type Throttle = { bytesPerSecond: number; latencyMs: number }

export type Proxy = {
  url: string
  /** Shapes every connection from now on like one shared slow link; null for plain loopback. */
  throttle: (link: Throttle | null) => void
  arm: (fault: Fault, times?: number) => void
  down: () => void
  /** Forgets faults that did not fire. */
  clear: () => void
  up: () => void
  retarget: (port: number) => void
  /** Bytes that crossed the proxy: client to registry, registry to client. */
  bytes: () => { up: number; down: number }
  /** Each request that crossed (by its request line) and the client bytes it carried, in order. */
  requests: () => readonly { path: string; up: number }[]
  /** Faults fired so far (to assert a test really exercised one). */
  fired: () => number
  close: () => Promise<void>
}

/**
 * One direction of a shaped link, shared by all connections like a real line: a chunk is on the
 * wire once the ones before it are through, and arrives `latencyMs` later. Order is kept: every
 * delivery time is later than the one before.
 */
function shaper(link: () => Throttle | null): (bytes: number, deliver: () => void) => void {
  let free = 0
  return (bytes, deliver) => {
    const shape = link()
    if (!shape) return deliver()
    const now = performance.now()
    free = Math.max(now, free) + (bytes * 1000) / shape.bytesPerSecond
    setTimeout(deliver, free + shape.latencyMs - now)
  }
}

export async function startProxy(targetPort: number): Promise<Proxy> {
  let target = targetPort
  let link: Throttle | null = null
  const toServer = shaper(() => link)
  const toClient = shaper(() => link)
  const queue: Fault[] = []
  const sockets = new Set<Socket>()
  let refusing = false
  let fired = 0
  let up = 0
  let down = 0
  const requests: { path: string; up: number }[] = []

  const server = createServer((client) => {
    sockets.add(client)
    client.on('close', () => sockets.delete(client))
    if (refusing) {
      client.destroy()
      return
    }
    let fault: Fault | undefined
    const upstream = createConnection({ host: '127.0.0.1', port: target })
    sockets.add(upstream)
    upstream.on('close', () => sockets.delete(upstream))
    const kill = (): void => {
      fired++
      client.destroy()
      upstream.destroy()
    }
    let sent = 0
    let received = 0
    let request: { path: string; up: number } | undefined
    client.on('data', (chunk: Buffer) => {
      // Faults are taken per request (keep-alive connections carry many), by the request line.
      const line = /^(GET|POST|PUT|HEAD|DELETE) (\S+)/.exec(
        chunk.subarray(0, 200).toString('latin1'),
      )
      if (line) {
        const index = queue.findIndex(
          (f) => f.match === undefined || (line[2] ?? '').includes(f.match),
        )
        const found = queue[index]
        if (found && (found.skip ?? 0) > 0) {
          found.skip = (found.skip ?? 0) - 1
          fault = undefined
        } else fault = index >= 0 ? queue.splice(index, 1)[0] : undefined
        sent = 0
        received = 0
        request = { path: line[2] ?? '', up: 0 }
        requests.push(request)
      }
      if (request) request.up += chunk.length
      if (fault?.kind === 'cutRequest' && sent + chunk.length >= fault.bytes) {
        upstream.write(chunk.subarray(0, Math.max(0, fault.bytes - sent)), kill)
        return
      }
      sent += chunk.length
      up += chunk.length
      toServer(chunk.length, () => upstream.write(chunk))
    })
    upstream.on('data', (chunk: Buffer) => {
      if (fault?.kind === 'dropResponse') return kill()
      if (fault?.kind === 'cutResponse' && received + chunk.length >= fault.bytes) {
        client.write(chunk.subarray(0, Math.max(0, fault.bytes - received)), kill)
        return
      }
      received += chunk.length
      down += chunk.length
      toClient(chunk.length, () => client.write(chunk))
    })
    client.on('end', () => toServer(0, () => upstream.end()))
    upstream.on('end', () => toClient(0, () => client.end()))
    client.on('error', () => upstream.destroy())
    upstream.on('error', () => client.destroy())
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const port = (server.address() as AddressInfo).port
  return {
    url: `http://127.0.0.1:${port}`,
    arm: (fault, times = 1) => {
      for (let i = 0; i < times; i++) queue.push(fault)
    },
    clear: () => {
      queue.length = 0
    },
    down: () => {
      refusing = true
      for (const socket of sockets) socket.destroy()
    },
    up: () => {
      refusing = false
    },
    retarget: (next) => {
      target = next
    },
    throttle: (next) => {
      link = next
    },
    fired: () => fired,
    requests: () => requests,
    bytes: () => ({ up, down }),
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy()
        server.close(() => resolve())
      }),
  }
}
