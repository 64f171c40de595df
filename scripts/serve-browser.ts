import { resolve } from 'node:path'
import { serveInBrowser } from '../electron/core/bridge/serve'

const repoRoot = resolve(import.meta.dirname, '..')
const served = await serveInBrowser(repoRoot)
console.log(`\nOutpost is running. Open this address in Chromium, Chrome, Edge or Firefox:\n\n  ${served.bridge.url}\n`)
console.log('It answers on 127.0.0.1 only and only to that address (it carries a one-time token). Ctrl+C stops it.')

const stop = () => {
  void served.close().then(() => process.exit(0))
}
process.on('SIGINT', stop)
process.on('SIGTERM', stop)
