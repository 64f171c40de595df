import { createHash, sign } from 'node:crypto'
import { createReadStream } from 'node:fs'
import { mkdir, open, rename, rm, stat } from 'node:fs/promises'
import { dirname } from 'node:path'
import { ed25519 } from '@noble/curves/ed25519.js'
import { sql, type ColumnType } from 'kysely'
import { uuidv7 } from 'uuidv7'
import { AppFailure } from '../../shared/errors'
import type { PackageEntryInput, PackageManifest, PackageRefused, PackageRegister } from '../../shared/packages/format'
import type { ReadPackageOptions } from '../../shared/packages/reader'
import { readPackage } from '../../shared/packages/reader'
import { packageRefusal } from '../../shared/packages/refusal'
import { writePackage } from '../../shared/packages/writer'
import type { SyncOp } from '../../shared/sync/ops'
import type { RegistryDb } from '../db/database'
import type { DeviceActor } from './actors'
import { attachmentStatus, putAttachmentChunk } from './attachments'
import { readChanges } from './feed'
import { getRegistryIdentity } from './identity'
import { pushOps } from './records'
import { listRegisters, readEntities } from './registers'
import { readFormDefinition } from './sync'

/** registry/migrations/0005_packages.sql, typed here: only this module reads it. */
type PackagesTable = {
  packages: {
    id: string
    direction: 'import' | 'export'
    device_id: string
    office_id: string
    from_seq: string | number | null
    to_seq: string | number | null
    feed_from: string
    feed_to: string
    ops: number
    attachments: number
    bytes: number | string
    created_at: ColumnType<Date, Date, Date>
    recorded_at: ColumnType<Date, undefined, never>
  }
  /** registry/migrations/0009_package_refusals.sql */
  package_refusals: {
    op_id: string
    device_id: string
    record_id: string
    code: string
    message: string
    package_id: string
    recorded_at: ColumnType<Date, undefined, never>
  }
}
const withPackages = (db: RegistryDb) => db.withTables<PackagesTable>()

const nodeSha256 = () => createHash('sha256')
const batchSize = 500

async function* fileSource(path: string): AsyncIterable<Uint8Array> {
  try {
    for await (const piece of createReadStream(path, { highWaterMark: 1024 * 1024 })) yield new Uint8Array(piece as Buffer)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new AppFailure('not_found', `There is no file at "${path}".`)
    throw error
  }
}

async function deviceOf(db: RegistryDb, deviceId: string) {
  return db
    .selectFrom('devices')
    .select(['id', 'office_id', 'public_key', 'revoked_at'])
    .where('id', '=', deviceId)
    .executeTakeFirst()
}

/** Office → HQ: sealed to this registry, signed by an enrolled, unrevoked device of the office it names. */
async function readOptions(db: RegistryDb, device: { actor?: DeviceActor }): Promise<ReadPackageOptions> {
  const identity = await getRegistryIdentity(db)
  return {
    secretKey: identity.encryptionPrivateKey,
    publicKey: new Uint8Array(Buffer.from(identity.encryptionPublicKey, 'base64')),
    recipientKind: 'registry',
    createHash: nodeSha256,
    trust: async (manifest) => {
      const to = manifest.destination
      if (to.kind !== 'registry' || to.registryId !== identity.registryId) throw packageRefusal('wrong_destination')
      const from = manifest.source
      if (from.kind !== 'device') throw packageRefusal('unknown_source')
      const row = await deviceOf(db, from.deviceId)
      if (!row || row.office_id !== from.officeId) throw packageRefusal('unknown_source')
      if (row.revoked_at !== null) throw packageRefusal('revoked_source')
      device.actor = { kind: 'device', deviceId: row.id, officeId: row.office_id }
      return new Uint8Array(Buffer.from(row.public_key, 'base64'))
    },
  }
}

export type RegistryImportResult = {
  packageId: string
  deviceId: string
  officeId: string
  newOps: number
  knownOps: number
  attachments: number
  /** Ops the registry would not take, one entry per op (grouped by record when shown). */
  refused: PackageRefused[]
}

/** Answers that mean "this content is refused" (as the online client judges them): resending will not help. */
const refusedCodes = new Set(['validation', 'forbidden', 'not_found', 'conflict'])
const isRefusal = (error: unknown): error is AppFailure => error instanceof AppFailure && refusedCodes.has(error.code)

/** Runs `work` inside a savepoint: a refusal undoes only its own writes, not the package's transaction. */
async function inSavepoint<T>(trx: RegistryDb, work: () => Promise<T>): Promise<T | AppFailure> {
  await sql`SAVEPOINT package_part`.execute(trx)
  try {
    const result = await work()
    await sql`RELEASE SAVEPOINT package_part`.execute(trx)
    return result
  } catch (error) {
    if (!isRefusal(error)) throw error
    await sql`ROLLBACK TO SAVEPOINT package_part`.execute(trx)
    await sql`RELEASE SAVEPOINT package_part`.execute(trx)
    return error
  }
}

/**
 * Applies one batch through the online push's path. A refused batch is applied again one record
 * at a time, as the online client does, so one record the registry will not take is set aside
 * and the rest of the package still lands.
 */
async function pushOrSetAside(trx: RegistryDb, actor: DeviceActor, ops: SyncOp[]): Promise<{ accepted: number; refused: PackageRefused[] }> {
  const whole = await inSavepoint(trx, () => pushOps(trx, actor, { ops }))
  if (!(whole instanceof AppFailure)) return { accepted: whole.accepted, refused: [] }
  const byRecord = new Map<string, SyncOp[]>()
  for (const op of ops) byRecord.set(op.recordId, [...(byRecord.get(op.recordId) ?? []), op])
  let accepted = 0
  const refused: PackageRefused[] = []
  for (const group of byRecord.values()) {
    const one = await inSavepoint(trx, () => pushOps(trx, actor, { ops: group }))
    if (one instanceof AppFailure) {
      for (const op of group) refused.push({ opId: op.opId, recordId: op.recordId, code: one.code, message: one.message.slice(0, 2000) })
    } else accepted += one.accepted
  }
  return { accepted, refused }
}

/** Checks a package whole (every chunk, signature, hashes) and answers its manifest; applies nothing. */
export async function inspectPackageFile(db: RegistryDb, path: string): Promise<PackageManifest> {
  return readPackage(fileSource(path), await readOptions(db, {}))
}

/**
 * Applies an office's package: a first pass checks everything, then a second pass applies it in
 * ONE transaction through the online push's own path (`pushOps` per batch, `putAttachmentChunk`
 * per file), so anything wrong in the second pass (the file changed in between) rolls it all back.
 */
export async function importPackageFile(db: RegistryDb, path: string): Promise<RegistryImportResult> {
  let packageId = ''
  const holder: { actor?: DeviceActor } = {}
  // Every query goes through `on`: PGlite has one connection, which the transaction holds.
  const known = (on: RegistryDb) => async (manifest: PackageManifest): Promise<void> => {
    const row = await withPackages(on).selectFrom('packages').select('id').where('id', '=', manifest.packageId).executeTakeFirst()
    if (row) throw packageRefusal('already_applied')
    packageId = manifest.packageId
  }
  await readPackage(fileSource(path), await readOptions(db, holder), { onManifest: known(db) })
  return db.transaction().execute(async (trx) => {
    const options = await readOptions(trx, holder)
    let batch: SyncOp[] = []
    let accepted = 0
    let newFiles = 0
    const refused: PackageRefused[] = []
    let parts: Buffer[] = []
    const actor = (): DeviceActor => {
      if (!holder.actor) throw packageRefusal('unknown_source')
      return holder.actor
    }
    const flush = async (): Promise<void> => {
      if (batch.length > 0) {
        const result = await pushOrSetAside(trx, actor(), batch)
        accepted += result.accepted
        refused.push(...result.refused)
      }
      batch = []
    }
    const manifest = await readPackage(fileSource(path), options, {
      onManifest: known(trx),
      onEntry: async (entry) => {
        if (entry.t !== 'op') throw packageRefusal('damaged', 'an office package carries only ops')
        batch.push(entry.op)
        if (batch.length >= batchSize) await flush()
      },
      onAttachmentData: (_attachment, bytes) => {
        parts.push(Buffer.from(bytes))
      },
      onAttachmentEnd: async (attachment) => {
        await flush()
        const bytes = Buffer.concat(parts)
        parts = []
        const status = await attachmentStatus(trx, actor(), attachment.sha256)
        if (status.stored) return
        await putAttachmentChunk(trx, actor(), {
          sha256: attachment.sha256,
          offset: status.received,
          bytes: bytes.subarray(status.received),
          final: true,
        })
        newFiles++
      },
    })
    await flush()
    const device = actor()
    let newlyRefused = 0
    for (let i = 0; i < refused.length; i += 1000) {
      const rows = refused.slice(i, i + 1000).map((r) => ({
        op_id: r.opId,
        device_id: device.deviceId,
        record_id: r.recordId,
        code: r.code,
        message: r.message,
        package_id: packageId,
      }))
      const inserted = await withPackages(trx).insertInto('package_refusals').values(rows).onConflict((c) => c.column('op_id').doNothing()).returning('op_id').execute()
      newlyRefused += inserted.length
    }
    if (accepted === 0 && newFiles === 0 && newlyRefused === 0) throw packageRefusal('already_applied')
    await withPackages(trx)
      .insertInto('packages')
      .values({
        id: manifest.packageId,
        direction: 'import',
        device_id: device.deviceId,
        office_id: device.officeId,
        from_seq: manifest.ops?.fromSeq ?? null,
        to_seq: manifest.ops?.toSeq ?? null,
        feed_from: manifest.feed.from,
        feed_to: manifest.feed.to,
        ops: manifest.counts.ops,
        attachments: manifest.counts.attachments,
        bytes: (await stat(path)).size,
        created_at: new Date(manifest.createdAt),
      })
      .execute()
    return {
      packageId: manifest.packageId,
      deviceId: device.deviceId,
      officeId: device.officeId,
      newOps: accepted,
      knownOps: manifest.counts.ops - accepted - refused.length,
      attachments: newFiles,
      refused,
    }
  })
}

/** Where the device's return package starts: the feed position its latest package declared. */
async function deviceCursor(db: RegistryDb, deviceId: string): Promise<string> {
  const row = await withPackages(db)
    .selectFrom('packages')
    .select('feed_from')
    .where('device_id', '=', deviceId)
    .where('direction', '=', 'import')
    .orderBy('recorded_at', 'desc')
    .executeTakeFirst()
  return row?.feed_from ?? ''
}

/** The office's feed after `after`, up to `to` (fixed before writing, so both passes read the same rows). */
async function* feedChanges(db: RegistryDb, officeId: string, after: string, to: string | null) {
  let cursor = after
  for (;;) {
    const page = await readChanges(db, { officeId }, cursor, 500)
    for (const change of page.changes) {
      if (to !== null && compare(change.cursor, to) > 0) return
      yield change
    }
    if (!page.hasMore) return
    cursor = page.nextCursor
  }
}

function compare(a: string, b: string): number {
  const [x1 = 0n, x2 = 0n] = a === '' ? [] : a.split(':').map(BigInt)
  const [y1 = 0n, y2 = 0n] = b === '' ? [] : b.split(':').map(BigInt)
  return x1 !== y1 ? (x1 < y1 ? -1 : 1) : x2 === y2 ? 0 : x2 < y2 ? -1 : 1
}

export type RegistryExportResult = { packageId: string; deviceId: string; changes: number; forms: number; bytes: number; feedTo: string }

/**
 * HQ → office: the office's feed the device has not seen (forms, registers, corrections, review
 * decisions, and the device's own ops back as acknowledgements), with the form versions it needs,
 * signed with the registry's key and sealed to the device's key converted to X25519.
 */
export async function exportPackageFile(
  db: RegistryDb,
  input: { deviceId: string; path: string; after?: string; chunkSize?: number },
): Promise<RegistryExportResult> {
  const row = await deviceOf(db, input.deviceId)
  if (!row) throw new AppFailure('not_found', `There is no device "${input.deviceId}".`)
  if (row.revoked_at !== null) throw new AppFailure('forbidden', 'This device is revoked: no package is made for it.')
  const device: DeviceActor = { kind: 'device', deviceId: row.id, officeId: row.office_id }
  const identity = await getRegistryIdentity(db)
  const after = input.after ?? (await deviceCursor(db, device.deviceId))
  let to = after
  const versions = new Set<string>()
  const registers = new Set<string>()
  for await (const change of feedChanges(db, device.officeId, after, null)) {
    to = change.cursor
    if (change.kind.startsWith('register.')) registers.add(change.entityId)
    if (change.kind === 'form.published') versions.add(change.entityId)
    const version = (change.data as { formVersionId?: unknown } | null)?.formVersionId
    if (change.kind === 'record.op' && typeof version === 'string') versions.add(version)
  }
  const forms: Awaited<ReturnType<typeof readFormDefinition>>[] = []
  for (const id of [...versions].sort()) {
    try {
      forms.push(await readFormDefinition(db, device, id))
    } catch (error) {
      if (!(error instanceof AppFailure && error.code === 'forbidden')) throw error // unpublished: the pull would skip it too
    }
  }
  // Every refusal of this device's ops goes back each time: the laptop keeps each once (by op id).
  const refusals = await withPackages(db)
    .selectFrom('package_refusals')
    .select(['op_id', 'record_id', 'code', 'message'])
    .where('device_id', '=', device.deviceId)
    .orderBy('recorded_at')
    .orderBy('op_id')
    .execute()
  // Registers the feed says changed, whole: the office cannot fetch them after the pull offline.
  // Read once, before the writer's two passes over the entries, so both see the same entries.
  const registerEntries: PackageRegister[] = []
  for (const register of (await listRegisters(db, device)).filter((r) => registers.has(r.id))) {
    const entities = (await readEntities(db, device, register.id)).map((e) => ({
      entityId: e.entityId,
      label: e.label,
      values: (e.values ?? null) as Record<string, unknown> | null,
      deleted: e.deleted,
      revision: e.revision,
    }))
    registerEntries.push({ id: register.id, name: register.name, title: register.title, entities })
  }
  async function* entries(): AsyncIterable<PackageEntryInput> {
    for (const form of forms) yield { t: 'form', form }
    for await (const change of feedChanges(db, device.officeId, after, to)) yield { t: 'change', change }
    // After the changes, which mark them stale on the laptop: the register entry then clears it.
    for (const register of registerEntries) yield { t: 'register', register }
    for (const r of refusals) yield { t: 'refused', refused: { opId: r.op_id, recordId: r.record_id, code: r.code, message: r.message } }
  }
  const packageId = uuidv7()
  const recipient = ed25519.utils.toMontgomery(new Uint8Array(Buffer.from(row.public_key, 'base64')))
  const { manifest, bytes } = await writeFile(input.path, (sink) =>
    writePackage({
      base: {
        packageId,
        createdAt: Date.now(),
        source: { kind: 'registry', registryId: identity.registryId },
        destination: { kind: 'device', deviceId: device.deviceId, officeId: device.officeId },
        ops: null,
        feed: { from: after, to },
      },
      entries,
      attachments: [],
      readAttachment: () => fileSource(''),
      sign: (message) => new Uint8Array(sign(null, message, identity.signingPrivateKeyPem)),
      recipient: { kind: 'device', publicKey: recipient },
      sink,
      createHash: nodeSha256,
      ...(input.chunkSize ? { chunkSize: input.chunkSize } : {}),
    }),
  )
  await withPackages(db)
    .insertInto('packages')
    .values({
      id: packageId,
      direction: 'export',
      device_id: device.deviceId,
      office_id: device.officeId,
      from_seq: null,
      to_seq: null,
      feed_from: after,
      feed_to: to,
      ops: manifest.counts.ops,
      attachments: 0,
      bytes,
      created_at: new Date(manifest.createdAt),
    })
    .execute()
  return { packageId, deviceId: device.deviceId, changes: manifest.counts.changes, forms: manifest.counts.forms, bytes, feedTo: to }
}

async function writeFile<T>(path: string, write: (sink: (bytes: Uint8Array) => Promise<void>) => Promise<T>): Promise<T> {
  await mkdir(dirname(path), { recursive: true })
  const partial = `${path}.partial`
  const handle = await open(partial, 'w', 0o600)
  try {
    const result = await write(async (bytes) => {
      await handle.write(bytes)
    })
    await handle.sync()
    await handle.close()
    await rename(partial, path)
    return result
  } catch (error) {
    await handle.close().catch(() => undefined) // already closed when the rename failed
    await rm(partial, { force: true })
    throw error
  }
}

type Out = (line: string) => void

/** `outpost registry package import|export|inspect`, spread into registry/cli.ts's commands. */
export const packageCommands = {
  'package import': async (db: RegistryDb, [file]: string[], _options: unknown, out: Out) => {
    if (!file) throw new AppFailure('validation', 'Missing the package file. Run "outpost registry help".')
    const result = await importPackageFile(db, file)
    out(
      `package ${result.packageId} from device ${result.deviceId}: ${result.newOps} new ops applied, ${result.knownOps} already here, ${result.attachments} new files`,
    )
    const records = new Map<string, string>()
    for (const r of result.refused) records.set(r.recordId, `${r.code}: ${r.message}`)
    for (const [recordId, reason] of records) out(`  record ${recordId} refused (${reason}); it goes back to the office in its next return package`)
  },
  'package export': async (db: RegistryDb, [deviceId, file, after]: string[], _options: unknown, out: Out) => {
    if (!deviceId || !file) throw new AppFailure('validation', 'Missing the device id or the file. Run "outpost registry help".')
    const result = await exportPackageFile(db, { deviceId, path: file, ...(after === undefined ? {} : { after }) })
    out(`package ${result.packageId} for device ${result.deviceId}: ${result.changes} changes, ${result.forms} forms, ${result.bytes} bytes → ${file}`)
  },
  'package inspect': async (db: RegistryDb, [file]: string[], _options: unknown, out: Out) => {
    if (!file) throw new AppFailure('validation', 'Missing the package file. Run "outpost registry help".')
    out(JSON.stringify(await inspectPackageFile(db, file), null, 2))
  },
}
