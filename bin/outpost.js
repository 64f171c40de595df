#!/usr/bin/env node
// The `outpost` command. It runs the TypeScript sources through tsx so that the CLI and the app
// share one code base without a separate build step. `outpost registry …` is the registry's admin
// CLI (registry/ stays independent of electron/); everything else is the desktop core's CLI.
import { register } from 'tsx/esm/api'

register()
const argv = process.argv.slice(2)
const { main } =
  argv[0] === 'registry'
    ? await import('../registry/cli.ts')
    : await import('../electron/core/cli/main.ts')
process.exitCode = await main(argv[0] === 'registry' ? argv.slice(1) : argv)
