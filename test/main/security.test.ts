import type { IpcMainInvokeEvent } from 'electron'
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it, vi } from 'vitest'
import { ipcChannels } from '../../shared/api/channels'
import type { Result } from '../../shared/errors'
import { registerIpc } from '../../electron/main/ipc'
import { serveAppProtocol } from '../../electron/main/protocol'
import { buildWindowOptions, decideNavigation, decidePermission, isAllowedExternal, isAppUrl, packagedOrigin } from '../../electron/main/security'
import { makeTempDir } from '../helpers/paths'

describe('the window', () => {
  it('isolates the page from Node and Electron', () => {
    const prefs = buildWindowOptions('/app/preload/index.cjs').webPreferences
    expect(prefs).toMatchObject({
      preload: '/app/preload/index.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
    })
  })

  it('allows navigation inside the app only', () => {
    expect(decideNavigation('app://outpost/index.html#/records', packagedOrigin)).toBe('allow')
    for (const url of ['https://example.org/', 'file:///etc/passwd', 'app://other/index.html', 'javascript:alert(1)', 'not a url']) {
      expect(decideNavigation(url, packagedOrigin), url).toBe('deny')
    }
    expect(isAppUrl('http://localhost:5173/', 'http://localhost:5173')).toBe(true)
    expect(isAppUrl('http://localhost:5174/', 'http://localhost:5173')).toBe(false)
  })

  it('turns developer tools off in packaged builds only', () => {
    expect(buildWindowOptions('/p', true).webPreferences?.devTools).toBe(false)
    expect(buildWindowOptions('/p', false).webPreferences?.devTools).toBe(true)
  })

  it('opens only https links to allowlisted hosts outside the app', () => {
    expect(isAllowedExternal('https://docs.getodk.org/form-logic/')).toBe(true)
    for (const url of ['http://docs.getodk.org/', 'https://evil.example/', 'https://docs.getodk.org.evil.example/', 'https://user:pw@docs.getodk.org/', 'file:///etc/passwd', 'javascript:alert(1)', 'nonsense']) {
      expect(isAllowedExternal(url), url).toBe(false)
    }
  })

  it('denies every permission request', () => {
    for (const permission of ['media', 'geolocation', 'notifications', 'openExternal']) expect(decidePermission(permission)).toBe(false)
  })
})

type Handler = (event: IpcMainInvokeEvent, name: unknown, input: unknown) => Promise<Result<unknown>>

function registered(appOrigin = packagedOrigin) {
  const handlers = new Map<string, Handler>()
  const dispatch = vi.fn((_name: unknown, _input: unknown) => Promise.resolve({ ok: true as const, value: 'done' }))
  registerIpc({ handle: (channel: string, handler: Handler) => handlers.set(channel, handler) }, dispatch, appOrigin)
  const handler = handlers.get(ipcChannels.invoke)
  if (!handler) throw new Error('no invoke handler registered')
  return { handlers, handler, dispatch }
}

const eventFrom = (url: string, parent: unknown = null) => ({ senderFrame: { url, parent } }) as unknown as IpcMainInvokeEvent

describe('the IPC entry point', () => {
  it('registers one channel and passes calls from the app page to the dispatcher', async () => {
    const { handlers, handler, dispatch } = registered()
    expect([...handlers.keys()]).toEqual([ipcChannels.invoke])
    await expect(handler(eventFrom('app://outpost/index.html'), 'settings.get', {})).resolves.toEqual({ ok: true, value: 'done' })
    expect(dispatch).toHaveBeenCalledWith('settings.get', {})
  })

  it('refuses a sender that is not the app’s own top-level page, without calling the core', async () => {
    const { handler, dispatch } = registered()
    const refusals = await Promise.all([
      handler(eventFrom('https://evil.example/'), 'settings.get', {}),
      handler(eventFrom('app://outpost/index.html', { url: 'app://outpost/' }), 'settings.get', {}),
      handler({ senderFrame: null } as unknown as IpcMainInvokeEvent, 'settings.get', {}),
    ])
    for (const result of refusals) expect(result).toMatchObject({ ok: false, error: { code: 'forbidden' } })
    expect(dispatch).not.toHaveBeenCalled()
  })
})

describe('the app:// protocol', () => {
  it('serves the renderer with the CSP and refuses paths outside it', async () => {
    const temp = makeTempDir()
    mkdirSync(join(temp.dir, 'renderer'))
    writeFileSync(join(temp.dir, 'renderer/index.html'), '<html></html>')
    writeFileSync(join(temp.dir, 'secret.txt'), 'secret')
    let handle: ((request: Request) => Promise<Response>) | undefined
    serveAppProtocol({ handle: (_scheme: string, fn: typeof handle) => (handle = fn) } as never, join(temp.dir, 'renderer'))
    if (!handle) throw new Error('no protocol handler')
    const ok = await handle(new Request('app://outpost/index.html'))
    expect(ok.status).toBe(200)
    expect(ok.headers.get('content-security-policy')).toContain("default-src 'self'")
    expect(ok.headers.get('content-security-policy')).not.toContain('unsafe-eval')
    for (const url of ['app://outpost/../secret.txt', 'app://outpost/%2e%2e/secret.txt', 'app://other/index.html']) {
      expect((await handle(new Request(url))).status, url).toBe(404)
    }
    temp.cleanup()
  })
})

describe('the preload', () => {
  it('exposes exactly invoke and on as window.outpost', async () => {
    const exposed: Record<string, unknown> = {}
    const invoke = vi.fn(() => Promise.resolve({ ok: true, value: 1 }))
    const listeners: Array<(event: unknown, message: unknown) => void> = []
    vi.doMock('electron', () => ({
      contextBridge: { exposeInMainWorld: (key: string, api: unknown) => (exposed[key] = api) },
      ipcRenderer: { invoke, on: (_c: string, l: (typeof listeners)[number]) => listeners.push(l), removeListener: vi.fn() },
    }))
    await import('../../electron/preload/index')
    expect(Object.keys(exposed)).toEqual(['outpost'])
    const api = exposed.outpost as { invoke: (n: string, i: unknown) => Promise<unknown>; on: (n: string, cb: (p: unknown) => void) => () => void }
    expect(Object.keys(api).sort()).toEqual(['invoke', 'on'])
    await api.invoke('settings.get', {})
    expect(invoke).toHaveBeenCalledWith(ipcChannels.invoke, 'settings.get', {})
    const received: unknown[] = []
    api.on('settings.changed', (payload) => received.push(payload))
    listeners.forEach((l) => l({}, { name: 'other.event', payload: 1 }))
    listeners.forEach((l) => l({}, { name: 'settings.changed', payload: { language: 'fr' } }))
    expect(received).toEqual([{ language: 'fr' }])
    vi.doUnmock('electron')
  })
})
