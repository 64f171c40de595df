// Child process for the plain → encrypted migration kill test: opens a data folder with the
// real core (setup on the first run, sign-in after) and prints "done" once it is open. The
// parent SIGKILLs it at a random moment, most often in the middle of the migration.
import { createCore } from '../../../electron/core/app-core'

const [dataDir, migrationsDir] = process.argv.slice(2)
if (!dataDir || !migrationsDir) throw new Error('usage: encrypt-writer DATA_DIR MIGRATIONS')

const kdf = { algorithm: 'argon2id', memoryKiB: 256, iterations: 1, parallelism: 1 } as const
const supervisor = { officeName: 'Kill test', username: 'sam', displayName: 'Sam', password: 'kill test password' }
process.stdout.write('start\n')
const core = await createCore({ dataDir, migrationsDir, version: '0.0.0-test', shell: 'browser', kdf })
if (core.auth.status().setupDone) await core.auth.login({ username: supervisor.username, password: supervisor.password })
else await core.auth.setup(supervisor)
await core.close()
process.stdout.write('done\n')
