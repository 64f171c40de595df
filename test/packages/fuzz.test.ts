import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { exportPackageFile, importPackageFile } from '../../registry/domain/packages'
import { AppFailure } from '../../shared/errors'
import { aeadTagBytes, headerLayout } from '../../shared/packages/format'
import { makeTempDir } from '../helpers/paths'
import { hashDigest, laptopDigest, registryDigest } from '../sync/helpers/digest'
import type { Laptop, World } from '../sync/helpers/world'
import { makeWorld } from '../sync/helpers/world'
import { readState } from '../../electron/core/sync/state'
import { officeExport, officeImport, officeInspect, registryDeviceId } from './world'

const chunk = 1024
const sealedChunk = chunk + aeadTagBytes
const seed = Number(process.env.PACKAGE_FUZZ_SEED ?? 20261123)
const officeCases = Number(process.env.PACKAGE_FUZZ_CASES ?? 10_000)

/** mulberry32: a small deterministic generator, so a failing case can be replayed from its seed. */
function random(start: number): () => number {
  let state = start >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** One random change of the kinds a USB stick or a person makes: flips, cuts, growth, chunks moved. */
function mutate(bytes: Buffer, other: Buffer, next: () => number): { kind: string; bytes: Buffer } {
  const int = (n: number) => Math.floor(next() * n)
  const chunks = Math.floor((bytes.length - headerLayout.size) / sealedChunk)
  const at = (i: number) => headerLayout.size + i * sealedChunk
  switch (int(9)) {
    case 0: {
      const out = Buffer.from(bytes)
      for (let n = 1 + int(3); n > 0; n--) {
        const i = int(out.length)
        out.writeUInt8(out.readUInt8(i) ^ (1 + int(255)), i)
      }
      return { kind: 'flip', bytes: out }
    }
    case 1:
      return { kind: 'truncate', bytes: bytes.subarray(0, int(bytes.length)) }
    case 2:
      return { kind: 'extend', bytes: Buffer.concat([bytes, Buffer.from(Array.from({ length: 1 + int(100) }, () => int(256)))]) }
    case 3: {
      const [i, j] = [int(chunks), int(chunks)]
      if (i === j) return { kind: 'swap-same', bytes: Buffer.concat([bytes.subarray(0, at(i)), bytes.subarray(at(i) + 1)]) }
      const out = Buffer.from(bytes)
      bytes.subarray(at(i), at(i + 1)).copy(out, at(j))
      bytes.subarray(at(j), at(j + 1)).copy(out, at(i))
      return { kind: 'swap', bytes: out }
    }
    case 4: {
      const i = int(chunks)
      return { kind: 'duplicate', bytes: Buffer.concat([bytes.subarray(0, at(i + 1)), bytes.subarray(at(i))]) }
    }
    case 5: {
      const i = int(chunks)
      return { kind: 'drop', bytes: Buffer.concat([bytes.subarray(0, at(i)), bytes.subarray(at(i + 1))]) }
    }
    case 6: {
      const out = Buffer.from(bytes)
      const i = int(headerLayout.size)
      out.writeUInt8((out.readUInt8(i) + 1 + int(255)) % 256, i)
      return { kind: 'header', bytes: out }
    }
    case 7: {
      const cut = headerLayout.size + int(Math.min(bytes.length, other.length) - headerLayout.size)
      return { kind: 'splice', bytes: Buffer.concat([bytes.subarray(0, cut), other.subarray(cut)]) }
    }
    default: {
      const out = Buffer.from(bytes)
      const start = headerLayout.size + int(out.length - headerLayout.size)
      for (let i = start; i < Math.min(out.length, start + 1 + int(64)); i++) out.writeUInt8(int(256), i)
      return { kind: 'overwrite', bytes: out }
    }
  }
}

describe('packages mutated at random are refused cleanly, never applied in part', () => {
  let world: World
  let a: Laptop
  const temp = makeTempDir('outpost-fuzz-')
  const file = (name: string) => join(temp.dir, name)
  beforeAll(async () => {
    world = await makeWorld()
    a = await world.laptop('fuzz-a')
    const id = await a.create({ name: 'Ana', age: 30 })
    await a.create({ name: 'Bo', age: 41 })
    await officeExport(a, file('first.outpost'), { kind: 'unacknowledged' }, chunk)
    await importPackageFile(world.registry.db, file('first.outpost'))
    await world.registry.call('POST', `/v1/hq/records/${id}/corrections`, {
      token: world.hqToken,
      body: { changes: [{ fieldPath: 'age', value: 31 }] },
    })
    await exportPackageFile(world.registry.db, { deviceId: registryDeviceId(a), path: file('return.outpost'), chunkSize: chunk })
    await exportPackageFile(world.registry.db, { deviceId: registryDeviceId(a), path: file('return-2.outpost'), chunkSize: chunk })
    await a.create({ name: 'Cy', age: 7 })
    await officeExport(a, file('second.outpost'), { kind: 'sinceLastPackage' }, chunk)
    await officeExport(a, file('second-b.outpost'), { kind: 'sinceLastPackage' }, chunk).catch(() => undefined)
  }, 120_000)
  afterAll(async () => {
    await world.close()
    temp.cleanup()
  })

  async function run(cases: number, seedOffset: number, original: Buffer, other: Buffer, apply: (path: string) => Promise<unknown>, state: () => Promise<string>) {
    const next = random(seed + seedOffset)
    const before = await state()
    const kinds: Record<string, number> = {}
    for (let n = 0; n < cases; n++) {
      const { kind, bytes } = mutate(original, other, next)
      // An overwrite can draw the very bytes it replaces (one byte: 1 in 256): that is the intact
      // package, which would apply and leave the final import "already applied". Not a mutation.
      if (bytes.equals(original)) continue
      kinds[kind] = (kinds[kind] ?? 0) + 1
      const path = file('case.outpost')
      writeFileSync(path, bytes)
      let applied = false
      try {
        await apply(path)
        applied = true
      } catch (error) {
        if (!(error instanceof AppFailure) || error.code !== 'package_invalid')
          throw new Error(`case ${n} (${kind}, seed ${seed}) failed uncleanly: ${String(error)}`, { cause: error })
        expect(error.message).toMatch(/Nothing was changed\.$/)
      }
      expect(applied, `case ${n} (${kind}, seed ${seed}) was applied`).toBe(false)
      if (n % 50 === 0) expect(await state(), `case ${n} (${kind}) changed the state`).toBe(before)
    }
    expect(await state()).toBe(before)
    return kinds
  }

  it('at the office: 10,000 mutated return packages', async () => {
    const original = readFileSync(file('return.outpost'))
    const other = readFileSync(file('return-2.outpost'))
    const state = () => Promise.resolve(hashDigest(laptopDigest(a.store)) + JSON.stringify(a.store.sqlite.prepare('SELECT key, value FROM sync_state ORDER BY key').all()))
    // Where the intact package stands against the laptop's cursor, before and after the mutations
    // (an intermittent "already applied" of the intact package was seen twice; this says when).
    const standing = async () => {
      const info = await officeInspect(a, file('return.outpost'))
      return `feed ${info.feed.from} → ${info.feed.to}, ${info.changes} changes; laptop cursor ${readState(a.store.sqlite, 'pull_cursor') ?? '(none)'}`
    }
    const before = await standing()
    expect((await officeInspect(a, file('return.outpost'))).alreadyApplied, `before the mutations: ${before}`).toBe(false)
    const kinds = await run(officeCases, 1, original, other, (path) => officeImport(a, path), state)
    expect(Object.keys(kinds).length).toBeGreaterThanOrEqual(8)
    expect((await officeInspect(a, file('return.outpost'))).alreadyApplied, `after the mutations: ${await standing()} (before: ${before})`).toBe(false)
    // The intact package still applies, exactly: the office then equals HQ.
    await officeImport(a, file('return.outpost'))
    const hq = await registryDigest(world.registry, world.officeId)
    const office = laptopDigest(a.store).records
    for (const [id, record] of Object.entries(hq.records)) expect(office[id]).toEqual(record)
    expect(office[Object.keys(hq.records)[0] ?? '']?.values.age).toBe(31)
  }, 600_000)

  it('at HQ: 1,000 mutated office packages', async () => {
    const original = readFileSync(file('second.outpost'))
    const other = readFileSync(file('first.outpost'))
    const state = async () => {
      const digest = hashDigest(await registryDigest(world.registry, world.officeId))
      const counts = await sql<{ n: string }>`SELECT (SELECT count(*) FROM packages) + (SELECT count(*) FROM attachment_blobs) AS n`.execute(world.registry.db)
      return `${digest}:${counts.rows[0]?.n}`
    }
    await run(1_000, 2, original, other, (path) => importPackageFile(world.registry.db, path), state)
    const applied = await importPackageFile(world.registry.db, file('second.outpost'))
    expect(applied.newOps).toBe(1)
  }, 600_000)
})
