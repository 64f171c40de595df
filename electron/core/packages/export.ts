import type Database from 'better-sqlite3'
import { uuidv7 } from 'uuidv7'
import type { PackageExportScope, PackageSummary } from '../../../shared/api/packages'
import { AppFailure } from '../../../shared/errors'
import type { PackageAttachment, PackageEntryInput } from '../../../shared/packages/format'
import { writePackage } from '../../../shared/packages/writer'
import { pendingOps, toSyncOp } from '../sync/local-ops'
import { stmt } from '../sync/statements'
import { attachmentSource, nodeSha256, withPackageFile } from './files'
import type { DeviceKeys, Enrollment } from './keys'
import { recordPackage } from './ledger'

export type ExportDeps = {
  sqlite: Database.Database
  selfId: string
  dataDir: string
  enrollment: Enrollment
  keys: DeviceKeys
  now: () => number
  chunkSize?: number
}

export type ExportProgress = { phase: 'export'; done: number; total: number }

const readState = (sqlite: Database.Database, key: string): string | undefined =>
  (stmt(sqlite, 'SELECT value FROM sync_state WHERE key = ?').get(key) as { value: string } | undefined)?.value

/** The local op range (from, to] a scope covers; `to` is fixed now, so ops made meanwhile wait for the next package. */
export function scopeRange(sqlite: Database.Database, selfId: string, scope: PackageExportScope): { fromSeq: number; toSeq: number } {
  const last = (
    stmt(sqlite, 'SELECT max(seq) AS seq FROM record_ops WHERE device_id = ?').get(selfId) as { seq: number | null }
  ).seq ?? 0
  const acknowledged = Number(readState(sqlite, 'push_seq') ?? '0')
  switch (scope.kind) {
    case 'unacknowledged':
      return { fromSeq: acknowledged, toSeq: Math.max(acknowledged, last) }
    case 'sinceLastPackage': {
      const previous = (
        stmt(sqlite, "SELECT max(to_seq) AS seq FROM packages WHERE direction = 'export'").get() as { seq: number | null }
      ).seq
      const fromSeq = previous ?? acknowledged
      return { fromSeq, toSeq: Math.max(fromSeq, last) }
    }
    case 'range':
      if (scope.toSeq < scope.fromSeq)
        throw new AppFailure('validation', 'The range ends before it starts: give the first and the last change number in order.')
      return { fromSeq: scope.fromSeq, toSeq: Math.min(scope.toSeq, last) }
  }
}

async function* opEntries(deps: ExportDeps, fromSeq: number, toSeq: number): AsyncIterable<PackageEntryInput> {
  let after = fromSeq
  for (;;) {
    const rows = pendingOps(deps.sqlite, deps.selfId, after, 1000)
    for (const row of rows) {
      if (row.seq > toSeq) return
      yield { t: 'op', op: toSyncOp(row) }
    }
    const lastRow = rows.at(-1)
    if (!lastRow) return
    after = lastRow.seq
    await new Promise((resolve) => setImmediate(resolve)) // let form filling run between pages
  }
}

/** Files of the records these ops touch that online sync has not uploaded yet. */
function attachmentsOf(deps: ExportDeps, fromSeq: number, toSeq: number): PackageAttachment[] {
  return stmt(
    deps.sqlite,
    `SELECT DISTINCT a.sha256, a.size FROM attachments a
       WHERE a.record_id IN (SELECT record_id FROM record_ops WHERE device_id = ? AND seq > ? AND seq <= ?)
         AND a.sha256 NOT IN (SELECT sha256 FROM sync_uploads)
       ORDER BY a.sha256`,
  ).all(deps.selfId, fromSeq, toSeq) as PackageAttachment[]
}

/**
 * Writes this laptop's ops in the scope, and their files, into a package for the registry,
 * signed with the device key and sealed to the registry's X25519 key.
 */
export async function exportPackage(
  deps: ExportDeps,
  input: { path: string; scope: PackageExportScope },
  progress?: (progress: ExportProgress) => void,
): Promise<PackageSummary> {
  const { fromSeq, toSeq } = scopeRange(deps.sqlite, deps.selfId, input.scope)
  const attachments = attachmentsOf(deps, fromSeq, toSeq)
  const cursor = readState(deps.sqlite, 'pull_cursor') ?? ''
  const packageId = uuidv7()
  const { manifest, bytes } = await withPackageFile(input.path, (sink) =>
    writePackage({
      base: {
        packageId,
        createdAt: deps.now(),
        source: { kind: 'device', deviceId: deps.enrollment.deviceId, officeId: deps.enrollment.officeId },
        destination: { kind: 'registry', registryId: deps.enrollment.registryId },
        ops: { fromSeq, toSeq },
        feed: { from: cursor, to: cursor },
      },
      entries: () => opEntries(deps, fromSeq, toSeq),
      attachments,
      readAttachment: (attachment) => attachmentSource(deps.dataDir, attachment),
      sign: deps.keys.sign,
      recipient: { kind: 'registry', publicKey: deps.enrollment.registryEncryptionKey },
      sink,
      createHash: nodeSha256,
      chunkSize: deps.chunkSize,
      onProgress: (done, total) => progress?.({ phase: 'export', done, total }),
    }),
  )
  recordPackage(deps.sqlite, 'export', manifest, bytes, deps.now())
  return {
    packageId,
    path: input.path,
    records: manifest.counts.records,
    ops: manifest.counts.ops,
    attachments: manifest.counts.attachments,
    attachmentBytes: manifest.counts.attachmentBytes,
    bytes,
  }
}
