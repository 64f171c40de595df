import { createHash } from 'node:crypto'
import { ed25519, x25519 } from '@noble/curves/ed25519.js'
import type { PackageAttachment, PackageEntryInput, PackageManifest } from '../../shared/packages/format'
import type { ReadPackageOptions } from '../../shared/packages/reader'
import { readPackage } from '../../shared/packages/reader'
import type { ManifestBase } from '../../shared/packages/writer'
import { writePackage } from '../../shared/packages/writer'

export const nodeSha256 = () => createHash('sha256')

/** Test identities: a device (Ed25519, converted to X25519 to receive) and a registry. */
export function testKeys() {
  const deviceSigning = ed25519.utils.randomSecretKey()
  const registrySigning = ed25519.utils.randomSecretKey()
  const registryEncryption = x25519.utils.randomSecretKey()
  return {
    device: {
      signing: deviceSigning,
      public: ed25519.getPublicKey(deviceSigning),
      x25519Secret: ed25519.utils.toMontgomerySecret(deviceSigning),
      x25519Public: ed25519.utils.toMontgomery(ed25519.getPublicKey(deviceSigning)),
    },
    registry: {
      signing: registrySigning,
      public: ed25519.getPublicKey(registrySigning),
      x25519Secret: registryEncryption,
      x25519Public: x25519.getPublicKey(registryEncryption),
    },
  }
}
export type TestKeys = ReturnType<typeof testKeys>

export const ids = {
  device: '01900000-0000-7000-8000-000000000001',
  office: '01900000-0000-7000-8000-000000000002',
  package: '01900000-0000-7000-8000-000000000003',
  record: '01900000-0000-7000-8000-000000000004',
  version: '01900000-0000-7000-8000-000000000005',
}

export function officeBase(packageId = ids.package): ManifestBase {
  return {
    packageId,
    createdAt: 1_700_000_000_000,
    source: { kind: 'device', deviceId: ids.device, officeId: ids.office },
    destination: { kind: 'registry', registryId: 'registry-1' },
    ops: { fromSeq: 0, toSeq: 3 },
    feed: { from: '', to: '' },
  }
}

export function sampleOps(n: number): PackageEntryInput[] {
  return Array.from({ length: n }, (_, i) => ({
    t: 'op' as const,
    op: {
      opId: `01900000-0000-7000-8000-${String(100 + i).padStart(12, '0')}`,
      recordId: ids.record,
      formVersionId: ids.version,
      kind: 'set' as const,
      fieldPath: `field_${i}`,
      oldValue: null,
      newValue: `value ${i} ${'x'.repeat(i % 50)}`,
      hlc: `${String(1_700_000_000_000 + i).padStart(15, '0')}-00000-dev`,
      baseHlc: null,
      seen: {},
      resolves: [],
      userId: 'ana',
    },
  }))
}

export async function* fromBuffer(bytes: Uint8Array, piece = 4096): AsyncIterable<Uint8Array> {
  await Promise.resolve()
  for (let offset = 0; offset < bytes.length; offset += piece) yield bytes.subarray(offset, offset + piece)
}

export async function writeToBuffer(
  keys: TestKeys,
  entries: PackageEntryInput[],
  attachments: { info: PackageAttachment; bytes: Uint8Array }[] = [],
  options: { chunkSize?: number; base?: ManifestBase; signWith?: Uint8Array } = {},
): Promise<Uint8Array> {
  const parts: Uint8Array[] = []
  await writePackage({
    base: options.base ?? officeBase(),
    entries: async function* () {
      await Promise.resolve()
      yield* entries
    },
    attachments: attachments.map((a) => a.info),
    readAttachment: async function* (info) {
      await Promise.resolve()
      const found = attachments.find((a) => a.info.sha256 === info.sha256)
      if (found) yield found.bytes
    },
    sign: (message) => ed25519.sign(message, options.signWith ?? keys.device.signing),
    recipient: { kind: 'registry', publicKey: keys.registry.x25519Public },
    sink: (bytes) => {
      parts.push(bytes.slice())
      return Promise.resolve()
    },
    createHash: nodeSha256,
    chunkSize: options.chunkSize ?? 1024,
  })
  return Buffer.concat(parts)
}

export function attachment(bytes: Uint8Array): { info: PackageAttachment; bytes: Uint8Array } {
  return { info: { sha256: createHash('sha256').update(bytes).digest('hex'), size: bytes.length }, bytes }
}

export function registryReader(keys: TestKeys, trust?: ReadPackageOptions['trust']): ReadPackageOptions {
  return {
    secretKey: keys.registry.x25519Secret,
    publicKey: keys.registry.x25519Public,
    recipientKind: 'registry',
    trust: trust ?? (() => keys.device.public),
    createHash: nodeSha256,
  }
}

export async function readAll(
  bytes: Uint8Array,
  options: ReadPackageOptions,
): Promise<{ manifest: PackageManifest; entries: unknown[]; attachments: string[] }> {
  const entries: unknown[] = []
  const attachments: string[] = []
  const manifest = await readPackage(fromBuffer(bytes), options, {
    onEntry: (entry) => {
      entries.push(entry)
    },
    onAttachmentEnd: (a) => {
      attachments.push(a.sha256)
    },
  })
  return { manifest, entries, attachments }
}
