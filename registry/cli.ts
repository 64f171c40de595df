import { readFileSync } from 'node:fs'
import { basename } from 'node:path'
import { parseArgs } from 'node:util'
import { AppFailure, toAppError } from '../shared/errors'
import { readConfig } from './config'
import type { RegistryDb } from './db/database'
import { openDatabase } from './db/database'
import { migrate } from './db/migrate'
import type { SystemActor } from './domain/actors'
import { createEnrollmentCode, listDevices, revokeDevice } from './domain/devices'
import { publishFormVersion, uploadForm } from './domain/forms'
import { createOffice, listOffices } from './domain/offices'
import { packageCommands } from './domain/packages'
import { publicIdentity, getRegistryIdentity, readEpoch, rotateEpoch } from './domain/identity'
import { recoverDataKey } from './domain/recovery'
import { importRegisterCsv, publishRegister } from './domain/registers'
import { createUser } from './domain/users'
import { serve } from './serve'

const usage = `outpost registry <command>

  serve                                        start the registry (the default of npm run registry)
  migrate                                      apply the registry's migrations and exit
  office create <code> <name>                  create a country office
  office list
  user create <email> --role <admin|data_manager|viewer> [--name <name>]
                                               password from OUTPOST_NEW_PASSWORD or --password
  code create <office> [--hours <n>]           a single-use enrollment code for one office
  form publish <file.xlsx> --offices <a,b>     upload a form version and publish it
  register publish <name> <file.csv> --offices <a,b> [--title <title>]
  device list [--office <code>]
  device revoke <device-id>
  package import|inspect <file.outpost>; package export <device-id> <file.outpost> [after-feed-position]
  device recover <device-id> <sealed-key>      open a laptop's sealed data key; prints the recovery
                                               key to read out to the office (docs/security.md)
  identity show                                the registry's id and public keys
  epoch show | epoch rotate                    the registry's epoch; rotate it after restoring a
                                               backup, before devices sync (docs/sync.md)

The database is DATABASE_URL (PostgreSQL) or PGlite in OUTPOST_REGISTRY_DATA (default ./registry-data).`

type Out = (line: string) => void
type Command = (db: RegistryDb, args: string[], options: Options, out: Out) => Promise<void>
type Options = {
  role?: string
  name?: string
  password?: string
  hours?: string
  offices?: string
  office?: string
  title?: string
}

const system: SystemActor = { kind: 'system' }

function need(value: string | undefined, what: string): string {
  if (!value) throw new AppFailure('validation', `Missing ${what}. Run "outpost registry help".`)
  return value
}

const officesOf = (options: Options): string[] =>
  need(options.offices, '--offices')
    .split(',')
    .map((office) => office.trim())
    .filter(Boolean)

const commands: Record<string, Command> = {
  'office create': async (db, [code, ...name], _options, out) => {
    const office = await createOffice(db, system, {
      code: need(code, 'office code'),
      name: need(name.join(' '), 'office name'),
    })
    out(`office ${office.code} created (${office.id})`)
  },
  'office list': async (db, _args, _options, out) => {
    for (const office of await listOffices(db, system))
      out(`${office.code}\t${office.name}\t${office.id}`)
  },
  'user create': async (db, [email], options, out) => {
    const password = need(
      options.password ?? process.env.OUTPOST_NEW_PASSWORD,
      'password (OUTPOST_NEW_PASSWORD or --password)',
    )
    const role = need(options.role, '--role')
    const user = await createUser(db, system, {
      email: need(email, 'email'),
      name: options.name ?? '',
      role,
      password,
    })
    out(`user ${user.email} created as ${user.role} (${user.id})`)
  },
  'code create': async (db, [office], options, out) => {
    const hours = options.hours === undefined ? undefined : Number(options.hours)
    const code = await createEnrollmentCode(db, system, {
      office: need(office, 'office'),
      validHours: hours,
    })
    out(
      `enrollment code for office ${office}: ${code.code} (single use, expires ${code.expiresAt})`,
    )
  },
  'form publish': async (db, [file], options, out) => {
    const path = need(file, 'form file')
    const version = await uploadForm(db, system, {
      bytes: readFileSync(path),
      fileName: basename(path),
    })
    const count = await publishFormVersion(db, system, version.id, officesOf(options))
    out(
      `form ${version.formKey} version ${version.version} (${version.id}) published to ${count} new office(s)`,
    )
  },
  'register publish': async (db, [name, file], options, out) => {
    const csv = readFileSync(need(file, 'CSV file'), 'utf8')
    const summary = await importRegisterCsv(db, system, {
      name: need(name, 'register name'),
      csv,
      title: options.title,
    })
    const count = await publishRegister(db, system, summary.registerId, officesOf(options))
    out(
      `register ${name}: ${summary.created} added, ${summary.updated} changed, ${summary.deleted} removed; published to ${count} new office(s)`,
    )
  },
  'device list': async (db, _args, options, out) => {
    for (const device of await listDevices(db, system, options.office)) {
      out(
        `${device.id}\t${device.officeId}\t${device.name}\t${device.revokedAt ? `revoked ${device.revokedAt}` : 'active'}`,
      )
    }
  },
  'device revoke': async (db, [deviceId], _options, out) => {
    await revokeDevice(db, system, need(deviceId, 'device id'))
    out(`device ${deviceId} revoked`)
  },
  'device recover': async (db, [deviceId, ...sealed], _options, out) => {
    const recovered = await recoverDataKey(db, system, {
      deviceId: need(deviceId, 'device id'),
      sealed: need(sealed.join(''), 'sealed key'),
    })
    out(`recovery key for device ${recovered.deviceId}: ${recovered.recoveryKey}`)
  },
  'identity show': async (db, _args, _options, out) => {
    const identity = publicIdentity(await getRegistryIdentity(db))
    out(`registry ${identity.registryId}`)
    out(`signing key (Ed25519)    ${identity.signingPublicKey}`)
    out(`encryption key (X25519)  ${identity.encryptionPublicKey}`)
  },
  'epoch show': async (db, _args, _options, out) => {
    const { epoch, rotatedAt } = await readEpoch(db)
    out(`epoch ${epoch} (since ${rotatedAt})`)
  },
  'epoch rotate': async (db, _args, _options, out) => {
    out(`epoch ${await rotateEpoch(db)}: every device will reconcile in full at its next sync`)
  },
  ...packageCommands,
}

/** The admin CLI. Returns the exit code; writes results to stdout and errors to stderr. */
export async function main(
  argv: string[],
  out: Out = console.log,
  err: Out = console.error,
): Promise<number> {
  const first = argv[0]
  if (first === undefined || first === 'serve') {
    await serve()
    return 0
  }
  if (first === 'help' || first === '--help') return (out(usage), 0)
  let parsed: ReturnType<typeof parse>
  try {
    parsed = parse(argv)
  } catch (error) {
    return (err(error instanceof Error ? error.message : String(error)), 2)
  }
  const command = first === 'migrate' ? null : commands[`${first} ${parsed.positionals[1] ?? ''}`]
  if (command === undefined) return (err(`Unknown command "${argv.join(' ')}".\n\n${usage}`), 2)
  try {
    const database = await openDatabase(readConfig().database, 2, 'the registry CLI')
    try {
      await migrate(database.db)
      if (command) await command(database.db, parsed.positionals.slice(2), parsed.values, out)
      else out('registry database is up to date')
    } finally {
      await database.close()
    }
    return 0
  } catch (error) {
    err(toAppError(error).message)
    if (toAppError(error).code === 'internal')
      err(error instanceof Error ? error.message : String(error))
    return 1
  }
}

function parse(argv: string[]) {
  return parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      role: { type: 'string' },
      name: { type: 'string' },
      password: { type: 'string' },
      hours: { type: 'string' },
      offices: { type: 'string' },
      office: { type: 'string' },
      title: { type: 'string' },
    },
  })
}
