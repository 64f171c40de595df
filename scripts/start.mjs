// `npm start`: the Electron app where Electron is installed; otherwise the same app served to a
// browser over the loopback bridge, with the address to open printed.
import { spawnSync, spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { createRequire } from 'node:module'

const require = createRequire(import.meta.url)

function electronBinary() {
  try {
    const path = require('electron')
    return typeof path === 'string' && existsSync(path) ? path : null
  } catch {
    // The electron package throws when its binary was never downloaded.
    return null
  }
}

const run = (command, args) => spawn(command, args, { stdio: 'inherit', shell: process.platform === 'win32' })

if (electronBinary()) {
  run('npx', ['electron-vite', 'dev']).on('exit', (code) => process.exit(code ?? 0))
} else {
  console.log(
    'The Electron binary is not installed on this machine (it is skipped at install time where it cannot be downloaded; see README).\n' +
      'Serving the same app to your browser instead. Building the renderer…',
  )
  const build = spawnSync('npx', ['electron-vite', 'build'], { stdio: 'inherit', shell: process.platform === 'win32' })
  if (build.status !== 0) process.exit(build.status ?? 1)
  run('npx', ['tsx', 'scripts/serve-browser.ts']).on('exit', (code) => process.exit(code ?? 0))
}
