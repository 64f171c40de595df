import { spawn } from 'node:child_process'
import { createHash, randomBytes } from 'node:crypto'
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { build } from 'esbuild'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { isPlainDatabase } from '../../../electron/core/auth/encrypt-folder'
import { readKeyring, unwrapForUser } from '../../../electron/core/auth/keyring'
import { openSqlite, openStore } from '../../../electron/core/db/open'
import { loadSelfDevice } from '../../../electron/core/device'
import { attachmentPath, forgetAttachmentKey, openAttachment, setAttachmentKey } from '../../../electron/core/records/attachments'
import { indexBacklog } from '../../../electron/core/records/index-backlog'
import { createRecords } from '../../../electron/core/records/ops'
import { makeCore } from '../../helpers/core'
import { makeTempDir, migrationsDir, repoRoot } from '../../helpers/paths'

const temp = makeTempDir('outpost-encrypt-folder-')
const writer = join(repoRoot, 'node_modules/.cache/outpost-tests', `encrypt-writer-${process.pid}.mjs`)
const template = join(temp.dir, 'template')
const recordCount = 10_000
const password = 'kill test password'
const attachments: { sha: string; bytes: Buffer }[] = []

/** A data folder as the version before encryption left it: a plain database, plain attachment files. */
async function makePlainFolder(dir: string): Promise<void> {
  mkdirSync(dir, { recursive: true })
  const store = openStore(join(dir, 'outpost.db'), migrationsDir)
  const device = await loadSelfDevice(store)
  const now = Date.now()
  await store.db.insertInto('forms').values({ id: 'f', form_id: 'plain', title: 'Plain', created_at: now, updated_at: now }).execute()
  await store.db.insertInto('form_versions').values({ id: 'v', form_id: 'f', version: '1', title: 'Plain', xform: '<x/>', source_name: null, sha256: 'h', created_at: now }).execute()
  const actor = { device, userId: 'old-os-user' }
  for (let batch = 0; batch < recordCount / 1000; batch++) {
    const inputs = Array.from({ length: 1000 }, (_, i) => ({ formVersionId: 'v', values: { name: `Plainname ${batch * 1000 + i}`, note: randomBytes(24).toString('hex') } }))
    await createRecords(store, actor, inputs)
  }
  // Bulk creates index after their commit (index-backlog.ts): the folder holds a whole index.
  indexBacklog(store.sqlite)
  await store.close()
  for (let i = 0; i < 3; i++) {
    const bytes = Buffer.from(`PLAIN-ATTACHMENT-${i} `.repeat(5000))
    const sha = createHash('sha256').update(bytes).digest('hex')
    mkdirSync(dirname(attachmentPath(dir, sha)), { recursive: true })
    writeFileSync(attachmentPath(dir, sha), bytes)
    attachments.push({ sha, bytes })
  }
}

beforeAll(async () => {
  await build({
    entryPoints: [join(repoRoot, 'test/core/auth/encrypt-writer.ts')],
    outfile: writer,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    external: ['better-sqlite3', 'better-sqlite3-multiple-ciphers', '@node-rs/argon2', 'esbuild'],
    banner: { js: "import { createRequire as outpostRequire } from 'node:module'; const require = outpostRequire(import.meta.url);" },
    logLevel: 'silent',
  })
  await makePlainFolder(template)
}, 120_000)
afterAll(() => {
  temp.cleanup()
  rmSync(writer, { force: true })
})

/** Runs the child; with `killAfterMs` SIGKILLs it that long after it started. Resolves with its elapsed time. */
function run(dataDir: string, killAfterMs?: number): Promise<{ killed: boolean; ms: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [writer, dataDir, migrationsDir], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] })
    let stderr = ''
    let started = 0
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    child.stdout.on('data', (chunk: Buffer) => {
      if (!started && chunk.toString().includes('start')) {
        started = performance.now()
        if (killAfterMs !== undefined) setTimeout(() => child.kill('SIGKILL'), killAfterMs)
      }
    })
    child.on('exit', (code, signal) => {
      const ms = performance.now() - started
      if (signal === 'SIGKILL') resolve({ killed: true, ms })
      else if (code === 0) resolve({ killed: false, ms })
      else reject(new Error(`writer failed: ${stderr}`))
    })
  })
}

/** Every record of the template is there, in a database that passes its integrity check. */
async function checkFolder(dir: string, mustBeEncrypted: boolean): Promise<'plain' | 'encrypted'> {
  const file = join(dir, 'outpost.db')
  const plain = isPlainDatabase(file)
  if (mustBeEncrypted) expect(plain).toBe(false)
  let key: Buffer | undefined
  if (!plain) {
    const keyring = await readKeyring(dir)
    const wrap = keyring?.users[0]
    expect(wrap, 'an encrypted database without a keyring would be lost').toBeDefined()
    key = (wrap && (await unwrapForUser(wrap, password))) ?? undefined
    expect(key).toBeDefined()
  }
  const db = openSqlite(file, key)
  try {
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok')
    expect((db.prepare('SELECT count(*) AS n FROM records').get() as { n: number }).n).toBe(recordCount)
    expect(db.prepare(`SELECT count(*) AS n FROM records_fts WHERE records_fts MATCH 'plainname'`).get()).toEqual({ n: recordCount })
  } finally {
    db.close()
  }
  if (key) {
    setAttachmentKey(dir, key)
    try {
      for (const { sha, bytes } of attachments) {
        if (!readFileSync(attachmentPath(dir, sha)).subarray(0, 7).equals(Buffer.from('OPBLOB1'))) {
          expect(mustBeEncrypted).toBe(false) // a plain file left only mid-migration, and intact
          expect(readFileSync(attachmentPath(dir, sha)).equals(bytes)).toBe(true)
          continue
        }
        const reader = await openAttachment(dir, sha)
        expect((await reader.readAll()).equals(bytes)).toBe(true)
        await reader.close()
      }
    } finally {
      forgetAttachmentKey(dir)
    }
  }
  return plain ? 'plain' : 'encrypted'
}

describe('a plain data folder from before encryption', () => {
  it('moves to the encrypted store in place at first setup, every record and file kept', async () => {
    const dir = join(temp.dir, 'once')
    cpSync(template, dir, { recursive: true })
    const core = await makeCore({ dataDir: dir, auth: 'none' })
    expect(core.auth.status()).toMatchObject({ setupDone: false, encrypted: false })
    await core.auth.setup({ officeName: 'Migrated', username: 'sam', displayName: 'Sam', password })
    expect(core.auth.status()).toMatchObject({ encrypted: true })
    expect((await core.store.db.selectFrom('records').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n).toBe(recordCount)
    await core.close()
    expect(await checkFolder(dir, true)).toBe('encrypted')
    const leftovers = readdirSync(dir).filter((f) => f.includes('encrypting'))
    expect(leftovers).toEqual([])
    for (const { bytes } of attachments) {
      for (const f of readdirSync(join(dir, 'attachments'), { recursive: true, withFileTypes: true })) {
        if (f.isFile()) expect(readFileSync(join(f.parentPath, f.name)).includes(bytes.subarray(0, 40))).toBe(false)
      }
    }
    const db = readFileSync(join(dir, 'outpost.db'))
    expect(db.includes(Buffer.from('Plainname'))).toBe(false)
    expect(existsSync(join(dir, 'outpost.db-wal')) ? readFileSync(join(dir, 'outpost.db-wal')).includes(Buffer.from('Plainname')) : false).toBe(false)
  }, 120_000)

  it('clears the temp file of a marker write a kill cut short, and only that', async () => {
    const dir = join(temp.dir, 'leftover')
    cpSync(template, dir, { recursive: true })
    // A kill between writeFileAtomic's open and its rename leaves this beside the database.
    writeFileSync(join(dir, 'outpost.db.encrypting.json.ce9effa1f8d6.tmp'), '{"from":"pla')
    writeFileSync(join(dir, 'notes.json.ce9effa1f8d6.tmp'), 'not ours')
    expect((await run(dir)).killed).toBe(false)
    await checkFolder(dir, true)
    expect(readdirSync(dir).filter((f) => f.includes('encrypting'))).toEqual([])
    expect(existsSync(join(dir, 'notes.json.ce9effa1f8d6.tmp'))).toBe(true)
    rmSync(dir, { recursive: true, force: true })
  }, 120_000)

  it('survives a SIGKILL at 20 random points: plain and intact, or encrypted and complete', async () => {
    const calibrate = join(temp.dir, 'calibrate')
    cpSync(template, calibrate, { recursive: true })
    const full = await run(calibrate)
    expect(full.killed).toBe(false)
    const seen = { plain: 0, encrypted: 0 }
    for (let i = 0; i < 20; i++) {
      const dir = join(temp.dir, `kill-${i}`)
      cpSync(template, dir, { recursive: true })
      const { killed } = await run(dir, Math.random() * full.ms)
      seen[await checkFolder(dir, !killed)]++
      // The restart finishes the job.
      expect((await run(dir)).killed).toBe(false)
      await checkFolder(dir, true)
      expect(readdirSync(dir).filter((f) => f.includes('encrypting'))).toEqual([])
      rmSync(dir, { recursive: true, force: true })
    }
    console.info('migration kill test: after the kill', seen)
    expect(seen.plain + seen.encrypted).toBe(20)
  }, 600_000)
})
