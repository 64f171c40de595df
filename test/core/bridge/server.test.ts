import { mkdirSync, writeFileSync } from 'node:fs'
import { request } from 'node:http'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { startBridge, type Bridge } from '../../../electron/core/bridge/server'
import { resolveStaticPath } from '../../../electron/core/static-files'
import { makeCore, type TestCore } from '../../helpers/core'
import { makeTempDir } from '../../helpers/paths'

let core: TestCore
let bridge: Bridge
const site = makeTempDir('outpost-site-')

beforeAll(async () => {
  core = await makeCore()
  mkdirSync(join(site.dir, 'www'))
  writeFileSync(join(site.dir, 'www/index.html'), '<html>app</html>')
  writeFileSync(join(site.dir, 'secret.txt'), 'do not serve')
  bridge = await startBridge({ dispatch: core.dispatch, events: core.events, staticDir: join(site.dir, 'www'), maxBodyBytes: 1024 })
})
afterAll(async () => {
  await bridge.close()
  await core.dispose()
  site.cleanup()
})

type Raw = { status: number; body: string; headers: Record<string, string | string[] | undefined> }

/** A raw HTTP request so that Host and Origin can be forged as an attacker would. */
function raw(path: string, options: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<Raw> {
  const { port } = new URL(bridge.origin)
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method: options.method ?? 'GET', headers: options.headers }, (res) => {
      let body = ''
      res.on('data', (chunk: Buffer) => (body += chunk.toString()))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }))
    })
    req.on('error', reject)
    req.end(options.body)
  })
}

const invoke = (body: unknown, headers: Record<string, string> = {}) =>
  raw('/api/invoke', {
    method: 'POST',
    headers: { origin: bridge.origin, authorization: `Bearer ${bridge.token}`, 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  })

describe('the loopback bridge', () => {
  it('listens on 127.0.0.1 only', () => {
    expect(new URL(bridge.origin).hostname).toBe('127.0.0.1')
    expect(bridge.url).toContain('#token=')
  })

  it('serves a valid call from its own page with the token', async () => {
    const res = await invoke({ name: 'settings.get', input: {} })
    expect(res.status).toBe(200)
    expect(JSON.parse(res.body)).toEqual({ ok: true, value: { language: 'en' } })
  })

  it('refuses a missing or wrong token with 401 and changes nothing', async () => {
    const noToken = await invoke({ name: 'settings.update', input: { language: 'fr' } }, { authorization: '' })
    const wrong = await invoke({ name: 'settings.update', input: { language: 'fr' } }, { authorization: 'Bearer guess' })
    expect([noToken.status, wrong.status]).toEqual([401, 401])
    expect(JSON.parse(wrong.body)).toMatchObject({ ok: false, error: { code: 'unauthorized' } })
    expect(await core.handlers['settings.get']({})).toEqual({ language: 'en' })
  })

  it('refuses another origin and a forged Host (DNS rebinding) with 403, even with the token', async () => {
    const evil = await invoke({ name: 'settings.update', input: { language: 'fr' } }, { origin: 'http://127.0.0.1:1' })
    const rebinding = await invoke({ name: 'settings.update', input: { language: 'fr' } }, { host: 'evil.example:80' })
    const noOrigin = await invoke({ name: 'settings.update', input: { language: 'fr' } }, { origin: '' })
    expect([evil.status, rebinding.status, noOrigin.status]).toEqual([403, 403, 403])
    expect(await core.handlers['settings.get']({})).toEqual({ language: 'en' })
  })

  it('answers unknown calls, bad input, bad JSON and oversized bodies with clear errors', async () => {
    expect(JSON.parse((await invoke({ name: 'nope.call', input: {} })).body)).toMatchObject({ ok: false, error: { code: 'validation' } })
    expect(JSON.parse((await invoke({ name: 'settings.update', input: { language: 7 } })).body)).toMatchObject({ ok: false, error: { code: 'validation' } })
    const badJson = await raw('/api/invoke', { method: 'POST', headers: { origin: bridge.origin, authorization: `Bearer ${bridge.token}` }, body: '{' })
    expect(badJson.status).toBe(400)
    const big = await invoke({ name: 'settings.get', input: { pad: 'x'.repeat(2000) } })
    expect(big.status).toBe(413)
    expect(await core.handlers['settings.get']({})).toEqual({ language: 'en' })
  })

  it('serves the app with a strict CSP and never a file outside its folder', async () => {
    const page = await raw('/')
    expect(page.body).toBe('<html>app</html>')
    expect(page.headers['content-security-policy']).toContain("script-src 'self'")
    expect(page.headers['content-security-policy']).not.toContain('unsafe-eval')
    for (const path of ['/../secret.txt', '/%2e%2e/secret.txt', '/..%2fsecret.txt', '/%2e%2e%5csecret.txt']) {
      const res = await raw(path)
      expect(res.status, path).toBe(404)
      expect(res.body).not.toContain('do not serve')
    }
  })

  it('streams core events to an authorised socket and refuses others', async () => {
    const wsUrl = `${bridge.origin.replace('http', 'ws')}/api/events`
    const refused = new WebSocket(`${wsUrl}?token=wrong`, { origin: bridge.origin })
    await expect(new Promise((resolve, reject) => { refused.on('open', () => reject(new Error('opened'))); refused.on('error', resolve) })).resolves.toBeDefined()
    const foreign = new WebSocket(`${wsUrl}?token=${bridge.token}`, { origin: 'http://127.0.0.1:1' })
    await expect(new Promise((resolve, reject) => { foreign.on('open', () => reject(new Error('opened'))); foreign.on('error', resolve) })).resolves.toBeDefined()

    const socket = new WebSocket(`${wsUrl}?token=${bridge.token}`, { origin: bridge.origin })
    await new Promise((resolve) => socket.on('open', resolve))
    const message = new Promise<string>((resolve) => socket.on('message', (data: Buffer) => resolve(data.toString())))
    await core.dispatch('settings.update', { language: 'fr' })
    expect(JSON.parse(await message)).toEqual({ name: 'settings.changed', payload: { language: 'fr' } })
    socket.close()
  })
})

describe('static path guard', () => {
  it.each(['/../x', '/a/../../x', '/%2e%2e/x', '/%00', '/a\\..\\..\\x', '/%E0%A4%A'])('refuses %s', (path) => {
    expect(resolveStaticPath('/srv/app', path)).toBeNull()
  })
  it('maps / to index.html and files under the root', () => {
    expect(resolveStaticPath('/srv/app', '/')).toBe('/srv/app/index.html')
    expect(resolveStaticPath('/srv/app', '/assets/a.js?v=1')).toBe('/srv/app/assets/a.js')
  })
})
