import { app, BrowserWindow, dialog, ipcMain, protocol, safeStorage, session, shell } from 'electron'
import { join } from 'node:path'
import { ipcChannels } from '../../shared/api/channels'
import type { FileChoice } from '../../shared/api'
import { createCore, type Core } from '../core/app-core'
import { sealedFileKeyStore } from '../core/secrets/sealed-keystore'
import { dialogFor } from './dialogs'
import { registerIpc } from './ipc'
import { serveAppProtocol } from './protocol'
import { buildWindowOptions, decideNavigation, decidePermission, isAllowedExternal, packagedOrigin } from './security'

// Table of contents: one instance, a privileged app:// scheme, the core in this process,
// one IPC entry point, one window whose navigation and permissions are locked down.
const devUrl = !app.isPackaged ? process.env.ELECTRON_RENDERER_URL : undefined
const appOrigin = devUrl ? new URL(devUrl).origin : packagedOrigin
const resources = app.isPackaged ? process.resourcesPath : app.getAppPath()

if (!app.requestSingleInstanceLock()) app.quit()
protocol.registerSchemesAsPrivileged([
  { scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } },
])

let core: Core | undefined
let window: BrowserWindow | undefined

function createWindow(): BrowserWindow {
  const win = new BrowserWindow(buildWindowOptions(join(__dirname, '../preload/index.cjs'), app.isPackaged))
  win.webContents.on('will-navigate', (event, url) => {
    if (decideNavigation(url, appOrigin) === 'deny') event.preventDefault()
  })
  win.webContents.setWindowOpenHandler(({ url }) => {
    // No new windows ever; an allowlisted https link opens in the person's browser instead.
    if (isAllowedExternal(url)) void shell.openExternal(url)
    return { action: 'deny' }
  })
  win.once('ready-to-show', () => win.show())
  void win.loadURL(devUrl ?? `${packagedOrigin}/index.html`)
  return win
}

/** The system's Save/Open dialog over the window; the path the person picked, or null. */
async function chooseFile(choice: FileChoice): Promise<string | null> {
  const wanted = dialogFor(choice, app.getPath('documents'))
  if (!window) return null
  if (wanted.kind === 'save') {
    const saved = await dialog.showSaveDialog(window, wanted.options)
    return saved.canceled || !saved.filePath ? null : saved.filePath
  }
  const opened = await dialog.showOpenDialog(window, wanted.options)
  return opened.canceled ? null : (opened.filePaths[0] ?? null)
}

async function start(): Promise<void> {
  await app.whenReady()
  session.defaultSession.setPermissionRequestHandler((_wc, permission, done) => done(decidePermission(permission)))
  serveAppProtocol(protocol, join(__dirname, '../renderer'))
  core = await createCore({
    dataDir: app.getPath('userData'),
    migrationsDir: join(resources, 'migrations'),
    version: app.getVersion(),
    shell: 'electron',
    // The device key is sealed by the OS keychain (safeStorage), never stored in the clear.
    keyStore: sealedFileKeyStore(join(app.getPath('userData'), 'device-key.sealed'), safeStorage),
    // The data key is wrapped by the keychain too, so the store opens (and sync runs) while locked.
    keychain: safeStorage,
    chooseFile,
  })
  core.events.subscribe((event) => window?.webContents.send(ipcChannels.event, event))
  registerIpc(ipcMain, core.dispatch, appOrigin)
  window = createWindow()
}

app.on('second-instance', () => {
  if (window?.isMinimized()) window.restore()
  window?.focus()
})
app.on('web-contents-created', (_event, contents) => contents.on('will-attach-webview', (e) => e.preventDefault()))
app.on('window-all-closed', () => app.quit())
app.on('will-quit', () => void core?.close())

start().catch((error: unknown) => {
  console.error('Outpost failed to start', error)
  app.exit(1)
})
