import type { BrowserWindowConstructorOptions } from 'electron'

/** The app's own origin in a packaged build: pages load from app://outpost/, never from the web. */
export const packagedOrigin = 'app://outpost'

export function buildWindowOptions(preloadPath: string): BrowserWindowConstructorOptions {
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
      devTools: true,
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
