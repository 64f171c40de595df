import { existsSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { toAppError } from '../../../shared/errors'
import { openStore } from '../db/open'
import { loadSelfDevice } from '../device'
import { importPackage, inspectPackage } from '../packages/import'
import { fileKeyStore } from '../sync/keystore'
import type { CliIo, Subcommand } from './io'

const usage = 'Usage: outpost package inspect|import FILE.outpost --data DIR   (DIR: the laptop data folder)'
const migrationsDir = fileURLToPath(new URL('../../../migrations/', import.meta.url))

function parseArgs(argv: string[]): { verb: 'inspect' | 'import'; file: string; data: string } | string {
  const [verb, file, ...rest] = argv
  if (verb !== 'inspect' && verb !== 'import') return 'the first argument is inspect or import'
  if (!file) return 'missing the package file'
  let data: string | undefined
  for (let i = 0; i < rest.length; i++) {
    if (rest[i] === '--data') data = rest[++i]
    else return `unknown argument "${rest[i]}"`
  }
  if (!data) return 'missing --data DIR'
  return { verb, file: resolve(file), data: resolve(data) }
}

async function run(argv: string[], io: CliIo): Promise<number> {
  const args = parseArgs(argv)
  if (typeof args === 'string') {
    io.err(`outpost package: ${args}\n${usage}`)
    return 2
  }
  const dbFile = join(args.data, 'outpost.db')
  if (!existsSync(dbFile)) {
    io.err(`outpost package: there is no Outpost database in "${args.data}".`)
    return 1
  }
  const store = openStore(dbFile, migrationsDir)
  try {
    const device = await loadSelfDevice(store)
    const deps = {
      sqlite: store.sqlite,
      selfId: device.id,
      clock: device.clock,
      dataDir: args.data,
      keyStore: fileKeyStore(join(args.data, 'device-key.json')),
      now: Date.now,
    }
    if (args.verb === 'inspect') io.out(JSON.stringify(await inspectPackage(deps, args.file), null, 2))
    else {
      const result = await importPackage(deps, args.file)
      io.out(
        `package ${result.packageId}: ${result.newOps} new changes applied, ${result.knownOps} already here, ${result.forms} forms, ${result.acknowledged} of this laptop's changes confirmed delivered`,
      )
    }
    return 0
  } catch (error) {
    const appError = toAppError(error)
    io.err(`outpost package: ${appError.message}`)
    // Already applied is harmless: the state is what the person wanted.
    return (appError.details as { reason?: string } | undefined)?.reason === 'already_applied' ? 0 : 1
  } finally {
    await store.close()
  }
}

export const packageCommand: Subcommand = { summary: 'inspect or import a USB package (.outpost) from HQ', run }
