#!/usr/bin/env node
// The `outpost` command. It runs the TypeScript sources through tsx so that the CLI and the app
// share one code base without a separate build step.
import { register } from 'tsx/esm/api'

register()
const { main } = await import('../electron/core/cli/main.ts')
process.exitCode = await main(process.argv.slice(2))
