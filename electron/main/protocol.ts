import type { Protocol } from 'electron'
import { readFile } from 'node:fs/promises'
import { appCsp } from '../core/bridge/csp'
import { mediaTypeOf, resolveStaticPath } from '../core/static-files'

/** Serves the built renderer on app://outpost/ with the app's CSP; paths cannot leave `root`. */
export function serveAppProtocol(protocol: Pick<Protocol, 'handle'>, root: string): void {
  protocol.handle('app', async (request) => {
    const url = new URL(request.url)
    const file = url.host === 'outpost' ? resolveStaticPath(root, url.pathname) : null
    if (!file) return new Response('Not found', { status: 404 })
    try {
      const body = await readFile(file)
      return new Response(body, {
        headers: { 'content-type': mediaTypeOf(file), 'content-security-policy': appCsp },
      })
    } catch {
      return new Response('Not found', { status: 404 })
    }
  })
}
