import { closeSync, openSync, readSync } from 'node:fs'
import { mkdir, readFile, rm, stat, writeFile, appendFile } from 'node:fs/promises'
import { join } from 'node:path'
import { StringDecoder } from 'node:string_decoder'
import type Database from 'better-sqlite3'
import { uuidv7 } from 'uuidv7'
import type { PackageImportResult, PackageInfo, PackagesProgress } from '../../../shared/api/packages'
import { AppFailure } from '../../../shared/errors'
import type { HlcClock } from '../../../shared/hlc'
import type { PackageEntry, PackageManifest } from '../../../shared/packages/format'
import { compareFeedPositions } from '../../../shared/packages/format'
import type { PackageHandlers, ReadPackageOptions } from '../../../shared/packages/reader'
import { readPackage } from '../../../shared/packages/reader'
import { packageRefusal } from '../../../shared/packages/refusal'
import { storeBlob } from '../records/attachments'
import type { KeyStore } from '../sync/keystore'
import { pendingOps } from '../sync/local-ops'
import { applyChange, storeForm } from '../sync/pull'
import { storeRegister } from '../sync/registers'
import { readNumber, readState, writeState } from '../sync/state'
import { stmt } from '../sync/statements'
import { fileSource, nodeSha256 } from './files'
import { loadDeviceKeys, readEnrollment } from './keys'
import { nativePrimitives } from './native'
import { describeManifest, recordPackage } from './ledger'

export type ImportDeps = {
  sqlite: Database.Database
  selfId: string
  clock: HlcClock
  dataDir: string
  keyStore: KeyStore
  now: () => number
  progress?: (progress: PackagesProgress) => void
}

/** HQ → this laptop only: signed by the registry this laptop enrolled with, sealed to this device. */
async function readOptions(deps: ImportDeps): Promise<ReadPackageOptions> {
  const enrollment = readEnrollment(deps.sqlite)
  const keys = await loadDeviceKeys(deps.keyStore)
  return {
    secretKey: keys.x25519Secret,
    publicKey: keys.x25519Public,
    recipientKind: 'device',
    createHash: nodeSha256,
    ...nativePrimitives,
    trust: (manifest) => {
      const to = manifest.destination
      if (to.kind !== 'device' || to.deviceId !== enrollment.deviceId) throw packageRefusal('wrong_destination')
      const from = manifest.source
      if (from.kind !== 'registry' || from.registryId !== enrollment.registryId) throw packageRefusal('unknown_source')
      return enrollment.registrySigningKey
    },
  }
}

/**
 * The feed this package brings ends where this laptop already is (online pull or an earlier
 * package) and it carries no refusals (those are judged by op id when applied).
 */
function alreadyApplied(sqlite: Database.Database, manifest: PackageManifest): boolean {
  const cursor = readState(sqlite, 'pull_cursor') ?? ''
  return compareFeedPositions(manifest.feed.to, cursor) <= 0 && manifest.counts.refused === 0
}

async function sizeOf(path: string): Promise<number> {
  try {
    return (await stat(path)).size
  } catch {
    throw new AppFailure('not_found', `There is no package at "${path}". Check the path and that the USB stick is connected.`)
  }
}

async function* counted(path: string, deps: ImportDeps, phase: 'verify'): AsyncIterable<Uint8Array> {
  const total = await sizeOf(path)
  let done = 0
  for await (const piece of fileSource(path)) {
    done += piece.length
    deps.progress?.({ phase, done, total })
    yield piece
  }
}

/** Checks a package whole (every chunk, the signature, every hash) without applying anything. */
export async function inspectPackage(deps: ImportDeps, path: string): Promise<PackageInfo & { alreadyApplied: boolean }> {
  const manifest = await readPackage(counted(path, deps, 'verify'), await readOptions(deps))
  return { ...describeManifest(manifest, await sizeOf(path)), alreadyApplied: alreadyApplied(deps.sqlite, manifest) }
}

type Spool = { dir: string; entries: string; files: string[]; opIds: Set<string>; lines: number }

/** First pass: verify everything, keeping the decrypted entries and files in a private folder. */
async function verifyToSpool(deps: ImportDeps, path: string): Promise<{ manifest: PackageManifest; spool: Spool }> {
  const dir = join(deps.dataDir, 'tmp', `package-${uuidv7()}`)
  const spool: Spool = { dir, entries: join(dir, 'entries.jsonl'), files: [], opIds: new Set(), lines: 0 }
  let buffered: string[] = []
  const flush = async (): Promise<void> => {
    if (buffered.length > 0) await appendFile(spool.entries, buffered.join(''))
    buffered = []
  }
  const handlers: PackageHandlers = {
    // The folder is made only once the signature checked out: most refusals never touch the disk.
    onManifest: async (manifest) => {
      if (alreadyApplied(deps.sqlite, manifest)) throw packageRefusal('already_applied')
      await mkdir(dir, { recursive: true, mode: 0o700 })
      await writeFile(spool.entries, '', { mode: 0o600 })
    },
    onEntry: async (entry: PackageEntry) => {
      if (entry.t === 'change' && entry.change.kind === 'record.op') {
        const opId = (entry.change.data as { opId?: unknown }).opId
        if (typeof opId === 'string') spool.opIds.add(opId)
      }
      buffered.push(`${JSON.stringify(entry)}\n`)
      spool.lines++
      if (buffered.length >= 1000) await flush()
    },
    onAttachmentData: async (attachment, bytes) => {
      const file = join(dir, attachment.sha256)
      if (!spool.files.includes(file)) spool.files.push(file)
      await appendFile(file, bytes, { mode: 0o600 })
    },
  }
  try {
    const manifest = await readPackage(counted(path, deps, 'verify'), await readOptions(deps), handlers)
    await flush()
    return { manifest, spool }
  } catch (error) {
    await rm(dir, { recursive: true, force: true })
    throw error
  }
}

/** Reads the spooled entries synchronously, inside the one SQLite transaction. */
function* spooledEntries(file: string): Generator<PackageEntry> {
  const fd = openSync(file, 'r')
  const decoder = new StringDecoder('utf8')
  const buffer = Buffer.alloc(1024 * 1024)
  let text = ''
  try {
    for (;;) {
      const n = readSync(fd, buffer, 0, buffer.length, null)
      text += n > 0 ? decoder.write(buffer.subarray(0, n)) : decoder.end()
      let newline = text.indexOf('\n')
      while (newline >= 0) {
        yield JSON.parse(text.slice(0, newline)) as PackageEntry // checked by the reader in the first pass
        text = text.slice(newline + 1)
        newline = text.indexOf('\n')
      }
      if (n === 0) return
    }
  } finally {
    closeSync(fd)
  }
}

/**
 * Moves the push cursor over this laptop's ops the return package shows the registry holds or
 * refused, in order, stopping at the first it does neither: online sync then sends only the rest.
 * Refused ops move the cursor without counting as held (`acked_ops` is what the registry has).
 */
function acknowledge(deps: ImportDeps, opIds: Set<string>, refusedIds: Set<string>): number {
  const start = readNumber(deps.sqlite, 'push_seq')
  let seq = start
  let acked = 0
  for (;;) {
    const rows = pendingOps(deps.sqlite, deps.selfId, seq, 1000)
    for (const row of rows) {
      if (opIds.has(row.id)) acked++
      else if (!refusedIds.has(row.id)) return finish()
      seq = row.seq
    }
    if (rows.length === 0) return finish()
  }
  function finish(): number {
    if (seq !== start) {
      writeState(deps.sqlite, 'push_seq', String(seq), deps.now())
      writeState(deps.sqlite, 'acked_ops', String(readNumber(deps.sqlite, 'acked_ops') + acked), deps.now())
    }
    return acked
  }
}

const count = (sqlite: Database.Database, table: 'record_ops' | 'form_versions'): number =>
  (stmt(sqlite, `SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n

/**
 * Applies a package from HQ: verified whole first (nothing touched), files stored, then every
 * form and feed change in ONE transaction through the pull's own apply (`storeForm`,
 * `applyChange`), the acknowledgements and the pull cursor with them.
 */
export async function importPackage(deps: ImportDeps, path: string): Promise<PackageImportResult> {
  const { manifest, spool } = await verifyToSpool(deps, path)
  try {
    for (const file of spool.files) await storeBlob(deps.dataDir, await readFile(file))
    const ctx = { sqlite: deps.sqlite, clock: deps.clock, now: deps.now }
    let applied = { newOps: 0, forms: 0, acknowledged: 0, refused: 0 }
    deps.sqlite.transaction(() => {
      const ops = count(deps.sqlite, 'record_ops')
      const forms = count(deps.sqlite, 'form_versions')
      const setAside = stmt(
        deps.sqlite,
        'INSERT OR IGNORE INTO sync_rejections (op_id, record_id, code, message, rejected_at) VALUES (?, ?, ?, ?, ?)',
      )
      const refusedIds = new Set<string>()
      let refused = 0
      let done = 0
      for (const entry of spooledEntries(spool.entries)) {
        if (entry.t === 'form') storeForm(ctx, entry.form)
        else if (entry.t === 'change') applyChange(ctx, entry.change)
        else if (entry.t === 'register') storeRegister(deps.sqlite, entry.register, deps.now())
        else if (entry.t === 'refused') {
          // The same set-aside list as an online refusal: the sync screen shows it with its reason.
          const { opId, recordId, code, message } = entry.refused
          refused += setAside.run(opId, recordId, code, message, deps.now()).changes
          refusedIds.add(opId)
        }
        if (++done % 1000 === 0) deps.progress?.({ phase: 'apply', done, total: spool.lines })
      }
      const acknowledged = acknowledge(deps, spool.opIds, refusedIds)
      const cursor = readState(deps.sqlite, 'pull_cursor') ?? ''
      // Only a contiguous range moves the cursor; a gap before it is read by the next online pull.
      const moves = compareFeedPositions(manifest.feed.from, cursor) <= 0 && compareFeedPositions(manifest.feed.to, cursor) > 0
      if (moves) writeState(deps.sqlite, 'pull_cursor', manifest.feed.to, deps.now())
      stmt(deps.sqlite, 'UPDATE devices SET last_hlc = ? WHERE is_self = 1').run(deps.clock.current())
      applied = {
        newOps: count(deps.sqlite, 'record_ops') - ops,
        forms: count(deps.sqlite, 'form_versions') - forms,
        acknowledged,
        refused,
      }
      if (applied.newOps === 0 && applied.forms === 0 && acknowledged === 0 && refused === 0 && !moves)
        throw packageRefusal('already_applied')
      recordPackage(deps.sqlite, 'import', manifest, 0, deps.now())
    })()
    deps.progress?.({ phase: 'apply', done: spool.lines, total: spool.lines })
    return {
      packageId: manifest.packageId,
      newOps: applied.newOps,
      knownOps: manifest.counts.ops - applied.newOps,
      forms: applied.forms,
      acknowledged: applied.acknowledged,
      refused: applied.refused,
      attachments: spool.files.length,
    }
  } finally {
    await rm(spool.dir, { recursive: true, force: true })
  }
}
