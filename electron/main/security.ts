import type { BrowserWindowConstructorOptions } from 'electron'

/** The app's own origin in a packaged build: pages load from app://outpost/, never from the web. */
export const packagedOrigin = 'app://outpost'

/** `packaged` turns developer tools off: a packaged build is what a collector holds. */
export function buildWindowOptions(preloadPath: string, packaged = true): BrowserWindowConstructorOptions {
  return {
    width: 1280,
    height: 840,
    minWidth: 800,
    minHeight: 560,
    show: false,
    title: 'Outpost',
    backgroundColor: '#f6f7f9',
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: true,
      devTools: !packaged,
    },
  }
}

/** True when `url` is a page of the app itself (same scheme, host and port as `appOrigin`). */
export function isAppUrl(url: string | undefined, appOrigin: string): boolean {
  if (!url) return false
  try {
    const parsed = new URL(url)
    const app = new URL(appOrigin)
    return parsed.protocol === app.protocol && parsed.host === app.host
  } catch {
    return false
  }
}

/** Navigation inside the app is allowed; anything else (the web, file://, javascript:) is not. */
export function decideNavigation(url: string, appOrigin: string): 'allow' | 'deny' {
  return isAppUrl(url, appOrigin) ? 'allow' : 'deny'
}

/** Outpost needs no camera, location or notifications from Chromium; every request is denied. */
export function decidePermission(_permission: string): boolean {
  return false
}

/** Sites the app may open in the person's browser (help pages); anything else is refused. */
export const externalAllowlist = ['docs.getodk.org', 'xlsform.org']

/** A link may leave the app only over https to an allowlisted host, and only in the browser. */
export function isAllowedExternal(url: string, allowlist: readonly string[] = externalAllowlist): boolean {
  try {
    const parsed = new URL(url)
    return parsed.protocol === 'https:' && parsed.username === '' && parsed.password === '' && allowlist.includes(parsed.hostname)
  } catch {
    return false
  }
}
