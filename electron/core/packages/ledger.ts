import type Database from 'better-sqlite3'
import type { PackageInfo } from '../../../shared/api/packages'
import type { PackageManifest, PackageParty } from '../../../shared/packages/format'
import { stmt } from '../sync/statements'

const partyId = (party: PackageParty): string => (party.kind === 'device' ? party.deviceId : party.registryId)

/** Notes a package written or applied (migrations/0006_packages.sql); the caller's transaction, if any. */
export function recordPackage(
  sqlite: Database.Database,
  direction: 'export' | 'import',
  manifest: PackageManifest,
  bytes: number,
  now: number,
): void {
  stmt(
    sqlite,
    `INSERT OR IGNORE INTO packages (id, direction, source, destination, from_seq, to_seq, feed_from, feed_to, ops, attachments, bytes, created_at, recorded_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    manifest.packageId,
    direction,
    partyId(manifest.source),
    partyId(manifest.destination),
    manifest.ops?.fromSeq ?? null,
    manifest.ops?.toSeq ?? null,
    manifest.feed.from,
    manifest.feed.to,
    manifest.counts.ops,
    manifest.counts.attachments,
    bytes,
    manifest.createdAt,
    now,
  )
}

export function describeManifest(manifest: PackageManifest, bytes: number): Omit<PackageInfo, 'alreadyApplied'> {
  const party = (p: PackageParty): PackageInfo['source'] =>
    p.kind === 'device'
      ? { kind: 'device', id: p.deviceId, officeId: p.officeId }
      : { kind: 'registry', id: p.registryId, officeId: null }
  return {
    packageId: manifest.packageId,
    format: manifest.format,
    createdAt: manifest.createdAt,
    source: party(manifest.source),
    destination: party(manifest.destination),
    feed: manifest.feed,
    opRange: manifest.ops,
    records: manifest.counts.records,
    ops: manifest.counts.ops,
    changes: manifest.counts.changes,
    forms: manifest.counts.forms,
    attachments: manifest.counts.attachments,
    attachmentBytes: manifest.counts.attachmentBytes,
    bytes,
  }
}
