// USB package benchmark: `npm run bench -- packages` writes bench-results/packages.json
// (docs/packages.md, "Benchmark"). The package pipeline itself (shared/packages with Node's
// native SHA-256, X25519 and Ed25519; files streamed from and to disk) on PACKAGE_BENCH_RECORDS
// create ops of ~30 fields (default 100,000) and PACKAGE_BENCH_MB of incompressible attachments
// (default 1,000, in 4 MB files): export (hash pass + seal), import's checking pass, and the
// second pass that applies (decrypt + re-check, without the database), next to plain gzip (zlib
// level 6, streamed) of the same bytes in the same run. The database side of apply is measured
// by the sync benchmark (the same apply path).
import { createHash, randomBytes, sign, generateKeyPairSync } from 'node:crypto'
import { createReadStream, createWriteStream, mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { open } from 'node:fs/promises'
import { cpus, loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { pipeline } from 'node:stream/promises'
import { createGzip } from 'node:zlib'
import { x25519 } from '@noble/curves/ed25519.js'
import { nativePrimitives } from '../../electron/core/packages/native'
import type { PackageAttachment, PackageEntryInput } from '../../shared/packages/format'
import { readPackage } from '../../shared/packages/reader'
import { writePackage } from '../../shared/packages/writer'
import { repoRoot } from '../helpers/paths'
import { benchValues } from './sync/records'

const records = Number(process.env.PACKAGE_BENCH_RECORDS ?? 100_000)
const megabytes = Number(process.env.PACKAGE_BENCH_MB ?? 1000)
const fileSize = 4 * 1024 * 1024
const files = Math.max(0, Math.round((megabytes * 1e6) / fileSize))
const dir = join(tmpdir(), `outpost-bench-packages-${process.pid}`)
const nodeSha256 = () => createHash('sha256')

let peak = 0
const sampler = setInterval(() => {
  peak = Math.max(peak, process.memoryUsage().rss)
}, 20)
async function phase<T>(run: () => Promise<T>): Promise<{ result: T; seconds: number; peakRssMb: number }> {
  ;(globalThis as { gc?: () => void }).gc?.()
  peak = process.memoryUsage().rss
  const start = performance.now()
  const result = await run()
  const seconds = (performance.now() - start) / 1000
  peak = Math.max(peak, process.memoryUsage().rss)
  return { result, seconds: Number(seconds.toFixed(2)), peakRssMb: Math.round(peak / 1e6) }
}

function op(i: number): PackageEntryInput {
  const hex = i.toString(16).padStart(12, '0')
  return {
    t: 'op',
    op: {
      opId: `01900000-0000-7000-8000-${hex}`,
      recordId: `01900000-0001-7000-8000-${hex}`,
      formVersionId: '01900000-0002-7000-8000-000000000001',
      kind: 'create',
      fieldPath: '',
      oldValue: null,
      newValue: { values: benchValues(i), status: 'complete' },
      hlc: `${String(1_700_000_000_000 + i).padStart(15, '0')}-00000-bench-device`,
      baseHlc: null,
      seen: {},
      resolves: [],
      userId: 'bench',
    },
  }
}

async function* entries(): AsyncIterable<PackageEntryInput> {
  for (let i = 0; i < records; i++) {
    yield op(i)
    if (i % 10_000 === 0) await new Promise((resolve) => setImmediate(resolve))
  }
}

async function* fileChunks(path: string): AsyncIterable<Uint8Array> {
  for await (const piece of createReadStream(path, { highWaterMark: 1024 * 1024 })) yield piece as Buffer
}

async function main(): Promise<void> {
  mkdirSync(dir, { recursive: true })
  const attachments: PackageAttachment[] = []
  for (let i = 0; i < files; i++) {
    const bytes = randomBytes(fileSize)
    const sha256 = createHash('sha256').update(bytes).digest('hex')
    writeFileSync(join(dir, sha256), bytes)
    attachments.push({ sha256, size: fileSize })
  }
  const device = generateKeyPairSync('ed25519')
  const devicePublic = new Uint8Array(Buffer.from(device.publicKey.export({ format: 'jwk' }).x ?? '', 'base64url'))
  const registrySecret = x25519.utils.randomSecretKey()
  const registryPublic = x25519.getPublicKey(registrySecret)
  const packagePath = join(dir, 'bench.outpost')

  const exported = await phase(async () => {
    const handle = await open(packagePath, 'w')
    try {
      return await writePackage({
        base: {
          packageId: '01900000-0003-7000-8000-000000000001',
          createdAt: Date.now(),
          source: { kind: 'device', deviceId: '01900000-0004-7000-8000-000000000001', officeId: '01900000-0005-7000-8000-000000000001' },
          destination: { kind: 'registry', registryId: 'bench' },
          ops: { fromSeq: 0, toSeq: records },
          feed: { from: '', to: '' },
        },
        entries,
        attachments,
        readAttachment: (a) => fileChunks(join(dir, a.sha256)),
        sign: (message) => new Uint8Array(sign(null, message, device.privateKey)),
        recipient: { kind: 'registry', publicKey: registryPublic },
        sink: async (bytes) => {
          await handle.write(bytes)
        },
        createHash: nodeSha256,
      })
    } finally {
      await handle.close()
    }
  })
  const packageBytes = statSync(packagePath).size
  const plainBytes = exported.result.manifest.entries.bytes + exported.result.manifest.counts.attachmentBytes
  const readOptions = {
    secretKey: registrySecret,
    publicKey: registryPublic,
    recipientKind: 'registry' as const,
    trust: () => devicePublic,
    createHash: nodeSha256,
    ...nativePrimitives,
  }
  const checked = await phase(() => readPackage(fileChunks(packagePath), readOptions))
  let seen = 0
  const applied = await phase(() =>
    readPackage(fileChunks(packagePath), readOptions, {
      onEntry: () => {
        seen++ // the entries as the apply pass receives them, parsed and validated
      },
    }),
  )

  // The same plaintext (entries as JSON lines, then every attachment) through plain gzip.
  const gzipPath = join(dir, 'plain.gz')
  const gzip = await phase(async () => {
    async function* plain(): AsyncIterable<Uint8Array> {
      for await (const entry of entries()) yield Buffer.from(`${JSON.stringify(entry)}\n`)
      for (const a of attachments) yield* fileChunks(join(dir, a.sha256))
    }
    await pipeline(plain, createGzip(), createWriteStream(gzipPath))
  })
  const gzipBytes = statSync(gzipPath).size
  clearInterval(sampler)
  const mbps = (bytes: number, seconds: number) => Number((bytes / 1e6 / seconds).toFixed(1))
  const result = {
    benchmark: 'packages',
    at: new Date().toISOString(),
    machine: { cpus: cpus().length, model: cpus()[0]?.model ?? '', loadAverage: loadavg() },
    scale: {
      records,
      attachments: files,
      attachmentMegabytes: Number(((files * fileSize) / 1e6).toFixed(1)),
      scaledDown: records < 100_000 || megabytes < 1000,
      note: 'Package pipeline only (files on disk, native crypto); the database apply is the sync apply path, measured by bench sync.',
    },
    sizes: { plaintextBytes: plainBytes, packageBytes, overheadBytes: packageBytes - plainBytes, gzipBytes },
    export: { seconds: exported.seconds, mbPerSecond: mbps(plainBytes, exported.seconds), peakRssMb: exported.peakRssMb },
    importCheck: { seconds: checked.seconds, mbPerSecond: mbps(packageBytes, checked.seconds), peakRssMb: checked.peakRssMb },
    importApplyPass: { seconds: applied.seconds, mbPerSecond: mbps(packageBytes, applied.seconds), entries: seen, peakRssMb: applied.peakRssMb },
    gzip: { seconds: gzip.seconds, mbPerSecond: mbps(plainBytes, gzip.seconds), peakRssMb: gzip.peakRssMb },
  }
  mkdirSync(join(repoRoot, 'bench-results'), { recursive: true })
  writeFileSync(join(repoRoot, 'bench-results', 'packages.json'), `${JSON.stringify(result, null, 2)}\n`)
  console.log(JSON.stringify(result, null, 2))
  rmSync(dir, { recursive: true, force: true })
}

main().catch((error: unknown) => {
  clearInterval(sampler)
  rmSync(dir, { recursive: true, force: true })
  console.error(error)
  process.exitCode = 1
})
