import { spawn, spawnSync } from 'node:child_process'
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pg from 'pg'

/**
 * A throwaway PostgreSQL cluster on 127.0.0.1 for the registry tests: initdb into a temp folder,
 * start on a free port, drop at the end. As root the server runs as the `postgres` user, because
 * PostgreSQL refuses to run as root. Missing binaries are an error, never a skip.
 */
export type TestCluster = {
  createDatabase: () => Promise<string>
  stop: () => void
  adminUrl: string
}

export function findPostgresBin(): string {
  const fromEnv = process.env.PG_BIN
  if (fromEnv && existsSync(join(fromEnv, 'initdb'))) return fromEnv
  const root = '/usr/lib/postgresql'
  const versions = existsSync(root)
    ? readdirSync(root).filter((v) => existsSync(join(root, v, 'bin', 'initdb')))
    : []
  const latest = versions.sort((a, b) => Number(b) - Number(a))[0]
  if (!latest) {
    throw new Error(
      'PostgreSQL server binaries were not found (looked in PG_BIN and /usr/lib/postgresql/*/bin). The registry tests need a real PostgreSQL: install it with `apt-get install -y postgresql`.',
    )
  }
  return join(root, latest, 'bin')
}

const asRoot = process.getuid?.() === 0

function run(bin: string, args: string[]): Promise<void> {
  const [command, fullArgs] = asRoot
    ? ['runuser', ['-u', 'postgres', '--', bin, ...args]]
    : [bin, args]
  return new Promise((resolve, reject) => {
    const child = spawn(command, fullArgs, { stdio: ['ignore', 'pipe', 'pipe'] })
    let output = ''
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()))
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()))
    child.on('error', reject)
    child.on('close', (code) =>
      code === 0
        ? resolve()
        : reject(new Error(`${bin} ${args.join(' ')} failed (${code}):\n${output}`)),
    )
  })
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      server.close(() =>
        typeof address === 'object' && address
          ? resolve(address.port)
          : reject(new Error('no port')),
      )
    })
  })
}

/**
 * `durable`: PostgreSQL's own defaults (fsync, synchronous commit, full page writes), as a
 * registry runs; benchmarks use it. Tests run without them, for speed.
 */
export async function startPostgres(options: { durable?: boolean } = {}): Promise<TestCluster> {
  const bin = findPostgresBin()
  const dir = mkdtempSync(join(tmpdir(), 'outpost-pg-'))
  if (asRoot) {
    const ids = spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' })
    const gids = spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' })
    chownSync(dir, Number(ids.stdout.trim()), Number(gids.stdout.trim()))
  }
  const data = join(dir, 'data')
  await run(join(bin, 'initdb'), [
    '-D',
    data,
    '-U',
    'postgres',
    '--auth=trust',
    '-N',
    '-E',
    'UTF8',
    '--no-locale',
  ])
  let port = 0
  const stop = (): void => {
    const args = ['-D', data, '-m', 'immediate', '-w', 'stop']
    spawnSync(
      asRoot ? 'runuser' : join(bin, 'pg_ctl'),
      asRoot ? ['-u', 'postgres', '--', join(bin, 'pg_ctl'), ...args] : args,
      { stdio: 'ignore' },
    )
    rmSync(dir, { recursive: true, force: true })
  }
  // If the test process dies without its teardown, the cluster must not outlive it.
  process.once('exit', stop)
  for (let attempt = 1; ; attempt++) {
    port = await freePort()
    const fast = options.durable
      ? ''
      : ' -c fsync=off -c synchronous_commit=off -c full_page_writes=off'
    const flags = `-p ${port} -h 127.0.0.1 -k ${dir}${fast} -c max_connections=300`
    try {
      await run(join(bin, 'pg_ctl'), [
        '-D',
        data,
        '-l',
        join(dir, 'server.log'),
        '-o',
        flags,
        '-w',
        '-t',
        '60',
        'start',
      ])
      break
    } catch (error) {
      // Another process may have taken the port between our probe and the server's bind.
      if (attempt >= 3) throw error
    }
  }
  const adminUrl = `postgres://postgres@127.0.0.1:${port}/postgres`
  let count = 0
  const createDatabase = async (): Promise<string> => {
    const name = `registry_${process.pid}_${++count}`
    const client = new pg.Client({ connectionString: adminUrl })
    await client.connect()
    try {
      await client.query(`CREATE DATABASE ${name}`)
    } finally {
      await client.end()
    }
    return `postgres://postgres@127.0.0.1:${port}/${name}`
  }
  return {
    adminUrl,
    createDatabase,
    stop: () => {
      process.removeListener('exit', stop)
      stop()
    },
  }
}
