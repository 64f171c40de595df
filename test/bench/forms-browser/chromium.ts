// Runs page.ts in headless Debian Chromium (never a downloaded browser): bundles it with esbuild,
// serves it with the two forms on 127.0.0.1 and waits for the page to post its measurements.
import { mkdtempSync, rmSync } from 'node:fs'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { build } from 'esbuild'
import { chromium } from 'playwright-core'
import type { Forms } from './measure'

const flags = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run']

async function bundle(): Promise<string> {
  const result = await build({
    entryPoints: [join(import.meta.dirname, 'page.ts')],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'chrome120',
    minify: true,
    write: false,
    logLevel: 'error',
  })
  const file = result.outputFiles[0]
  if (!file) throw new Error('esbuild produced no bundle')
  return file.text
}

export async function runInChromium(forms: Forms, timeoutMs = 600_000): Promise<unknown> {
  const script = await bundle()
  let settle: (body: string) => void = () => undefined
  const posted = new Promise<string>((resolve) => (settle = resolve))
  const pages: Record<string, [string, string]> = {
    '/': ['text/html', '<!doctype html><meta charset="utf-8"><title>forms bench</title><script type="module" src="page.js"></script>'],
    '/page.js': ['text/javascript', script],
    '/big.xml': ['application/xml', forms.big],
    '/cascade.xml': ['application/xml', forms.cascade],
  }
  const server = createServer((req, res) => {
    if (req.method === 'POST' && req.url === '/result') {
      let body = ''
      req.on('data', (chunk: Buffer) => (body += chunk.toString()))
      req.on('end', () => {
        res.end('ok')
        settle(body)
      })
      return
    }
    const page = pages[req.url ?? '']
    res.writeHead(page ? 200 : 404, { 'content-type': page?.[0] ?? 'text/plain' })
    res.end(page?.[1] ?? 'not found')
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  const profile = mkdtempSync(join(tmpdir(), 'outpost-bench-chromium-'))
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: [...flags, '--enable-precise-memory-info', '--js-flags=--expose-gc'],
  })
  try {
    const page = await context.newPage()
    page.on('pageerror', (error) => console.error(`page error: ${error.message}`))
    await page.goto(`http://127.0.0.1:${port}/`)
    const timeout = new Promise<never>((_, reject) => setTimeout(() => reject(new Error('Chromium run timed out')), timeoutMs).unref())
    const body = JSON.parse(await Promise.race([posted, timeout])) as { ok: boolean; result?: unknown; error?: string; userAgent?: string }
    if (!body.ok) throw new Error(`page failed: ${body.error ?? ''}`)
    return { userAgent: body.userAgent, ...(body.result as object) }
  } finally {
    await context.close()
    server.close()
    rmSync(profile, { recursive: true, force: true })
  }
}
