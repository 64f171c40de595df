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

export type Proxy = {
  url: string
  arm: (fault: Fault, times?: number) => void
  down: () => void
  /** Forgets faults that did not fire. */
  clear: () => void
  up: () => void
  retarget: (port: number) => void
  /** Bytes that crossed the proxy: client to registry, registry to client. */
  bytes: () => { up: number; down: number }
  /** Faults fired so far (to assert a test really exercised one). */
  fired: () => number
  close: () => Promise<void>
}

export async function startProxy(targetPort: number): Promise<Proxy> {
  let target = targetPort
  const queue: Fault[] = []
  const sockets = new Set<Socket>()
  let refusing = false
  let fired = 0
  let up = 0
  let down = 0

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
      }
      if (fault?.kind === 'cutRequest' && sent + chunk.length >= fault.bytes) {
        upstream.write(chunk.subarray(0, Math.max(0, fault.bytes - sent)), kill)
        return
      }
      sent += chunk.length
      up += chunk.length
      upstream.write(chunk)
    })
    upstream.on('data', (chunk: Buffer) => {
      if (fault?.kind === 'dropResponse') return kill()
      if (fault?.kind === 'cutResponse' && received + chunk.length >= fault.bytes) {
        client.write(chunk.subarray(0, Math.max(0, fault.bytes - received)), kill)
        return
      }
      received += chunk.length
      down += chunk.length
      client.write(chunk)
    })
    client.on('end', () => upstream.end())
    upstream.on('end', () => client.end())
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
    fired: () => fired,
    bytes: () => ({ up, down }),
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy()
        server.close(() => resolve())
      }),
  }
}
