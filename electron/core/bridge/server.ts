import { randomBytes, timingSafeEqual } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { WebSocketServer } from 'ws'
import { appError, type AppError, type Result } from '../../../shared/errors'
import type { Dispatch } from '../dispatch'
import type { EventBus } from '../events'
import { mediaTypeOf, resolveStaticPath } from '../static-files'
import { bridgeCsp } from './csp'

export type BridgeOptions = {
  dispatch: Dispatch
  events: EventBus
  /** The built renderer (out/renderer); without it only the API is served. */
  staticDir?: string
  port?: number
  token?: string
  maxBodyBytes?: number
}

export type Bridge = { origin: string; token: string; url: string; close: () => Promise<void> }

const json = (res: ServerResponse, status: number, body: Result<unknown>): void => {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' })
  res.end(JSON.stringify(body))
}
const refuse = (res: ServerResponse, status: number, error: AppError): void => json(res, status, { ok: false, error })

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given)
  const b = Buffer.from(expected)
  return a.length === b.length && timingSafeEqual(a, b)
}

/**
 * Who may call: a request must come to our own host name (defeats DNS rebinding), from our own
 * page (Origin), carrying the per-run token. Another local web page has a different origin and
 * cannot read the token, which lives only in our page's URL fragment.
 */
function checkCaller(req: IncomingMessage, origin: string, token: string, given: string | null): AppError | null {
  if (req.headers.host !== new URL(origin).host) return appError('forbidden', 'Requests must be addressed to the bridge itself.')
  if (req.headers.origin !== origin) return appError('forbidden', 'Only the Outpost page served by this bridge may call it.')
  if (!given || !sameSecret(given, token)) return appError('unauthorized', 'The bridge token is missing or wrong; open the address Outpost printed.')
  return null
}

async function readBody(req: IncomingMessage, limit: number): Promise<string | null> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of req) {
    size += (chunk as Buffer).length
    if (size > limit) return null
    chunks.push(chunk as Buffer)
  }
  return Buffer.concat(chunks).toString('utf8')
}

async function handleInvoke(req: IncomingMessage, res: ServerResponse, options: BridgeOptions): Promise<void> {
  const body = await readBody(req, options.maxBodyBytes ?? 32 * 1024 * 1024)
  if (body === null) return refuse(res, 413, appError('validation', 'The request is too large.'))
  let message: unknown
  try {
    message = JSON.parse(body)
  } catch {
    return refuse(res, 400, appError('validation', 'The request is not valid JSON.'))
  }
  const { name, input } = (typeof message === 'object' && message !== null ? message : {}) as {
    name?: unknown
    input?: unknown
  }
  json(res, 200, await options.dispatch(name, input))
}

async function serveStatic(res: ServerResponse, root: string | undefined, urlPath: string, origin: string): Promise<void> {
  const file = root ? resolveStaticPath(root, urlPath) : null
  if (!file) return void res.writeHead(404).end()
  try {
    const content = await readFile(file)
    res.writeHead(200, { 'content-type': mediaTypeOf(file), 'content-security-policy': bridgeCsp(origin), 'x-content-type-options': 'nosniff' })
    res.end(content)
  } catch {
    res.writeHead(404).end()
  }
}

/** Serves the core's handler map on 127.0.0.1 for the renderer running in a plain browser. */
export async function startBridge(options: BridgeOptions): Promise<Bridge> {
  const token = options.token ?? randomBytes(32).toString('base64url')
  let origin = ''
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', origin)
    if (url.pathname === '/api/invoke') {
      if (req.method !== 'POST') return refuse(res, 405, appError('validation', 'Use POST.'))
      const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1] ?? null
      const denied = checkCaller(req, origin, token, bearer)
      if (denied) return refuse(res, denied.code === 'unauthorized' ? 401 : 403, denied)
      handleInvoke(req, res, options).catch(() => refuse(res, 500, appError('internal', 'The bridge failed.')))
      return
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') return void res.writeHead(405).end()
    serveStatic(res, options.staticDir, url.pathname, origin).catch(() => res.writeHead(500).end())
  })
  const sockets = new WebSocketServer({ noServer: true })
  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', origin)
    if (url.pathname !== '/api/events' || checkCaller(req, origin, token, url.searchParams.get('token'))) {
      socket.end('HTTP/1.1 403 Forbidden\r\n\r\n')
      return
    }
    sockets.handleUpgrade(req, socket, head, (ws) => {
      const unsubscribe = options.events.subscribe((event) => ws.send(JSON.stringify(event)))
      ws.on('close', unsubscribe)
    })
  })
  await new Promise<void>((resolveListen, reject) => {
    server.once('error', reject)
    server.listen(options.port ?? 0, '127.0.0.1', () => resolveListen())
  })
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  return {
    origin,
    token,
    url: `${origin}/#token=${token}`,
    close: async () => {
      for (const client of sockets.clients) client.terminate()
      sockets.close()
      server.closeAllConnections()
      await new Promise<void>((done) => server.close(() => done()))
    },
  }
}
