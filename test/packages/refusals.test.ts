import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { ed25519 } from '@noble/curves/ed25519.js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { revokeDevice } from '../../registry/domain/devices'
import { getRegistryIdentity } from '../../registry/domain/identity'
import { exportPackageFile, importPackageFile } from '../../registry/domain/packages'
import { AppFailure } from '../../shared/errors'
import { headerLayout } from '../../shared/packages/format'
import { refusalReasonOf } from '../../shared/packages/refusal'
import { writePackage } from '../../shared/packages/writer'
import { makeTempDir } from '../helpers/paths'
import { system } from '../registry/helpers/harness'
import { hashDigest, laptopDigest, registryDigest } from '../sync/helpers/digest'
import type { Laptop, World } from '../sync/helpers/world'
import { makeWorld } from '../sync/helpers/world'
import { nodeSha256, officeBase, sampleOps, testKeys } from './helpers'
import { officeExport, officeImport, registryDeviceId } from './world'

/** Runs an import that must be refused: answers the reason, after checking the message says nothing changed. */
async function refused(promise: Promise<unknown>): Promise<string> {
  try {
    await promise
  } catch (error) {
    if (!(error instanceof AppFailure)) throw error
    expect(error.code).toBe('package_invalid')
    expect(error.message).toMatch(/Nothing was changed\.$/)
    return refusalReasonOf(error) ?? 'none'
  }
  throw new Error('the package was accepted')
}

describe('packages that must be refused, with nothing changed', () => {
  let world: World
  let a: Laptop
  let b: Laptop
  const temp = makeTempDir('outpost-refusals-')
  const file = (name: string) => join(temp.dir, name)
  const hqState = async () => hashDigest(await registryDigest(world.registry, world.officeId))

  beforeAll(async () => {
    world = await makeWorld()
    a = await world.laptop('ref-a')
    b = await world.laptop('ref-b')
    await a.create({ name: 'Ana' })
    await officeExport(a, file('a.outpost'))
  })
  afterAll(async () => {
    await world.close()
    temp.cleanup()
  })

  it('refuses at HQ: truncated, a flipped byte, a newer format, another destination', async () => {
    const bytes = readFileSync(file('a.outpost'))
    const before = await hqState()
    writeFileSync(file('cut.outpost'), bytes.subarray(0, bytes.length - 7))
    expect(await refused(importPackageFile(world.registry.db, file('cut.outpost')))).toBe('truncated')
    const flipped = Buffer.from(bytes)
    const at = headerLayout.size + 40
    flipped.writeUInt8(flipped.readUInt8(at) ^ 0x20, at)
    writeFileSync(file('flip.outpost'), flipped)
    expect(await refused(importPackageFile(world.registry.db, file('flip.outpost')))).toBe('damaged')
    const newer = Buffer.from(bytes)
    newer.writeUInt16BE(7, headerLayout.format)
    writeFileSync(file('newer.outpost'), newer)
    expect(await refused(importPackageFile(world.registry.db, file('newer.outpost')))).toBe('format_newer')
    // Made for another registry: sealed to its key, so this one cannot even open it.
    writeFileSync(file('other.outpost'), await craft({ recipient: testKeys().registry.x25519Public }))
    expect(await refused(importPackageFile(world.registry.db, file('other.outpost')))).toBe('wrong_destination')
    expect(await hqState()).toBe(before)
  })

  /** A package sealed to this registry by hand: the signer and the claimed device are the test's choice. */
  async function craft(options: { signer?: Uint8Array; deviceId?: string; recipient?: Uint8Array }): Promise<Uint8Array> {
    const identity = await getRegistryIdentity(world.registry.db)
    const base = officeBase()
    const parts: Uint8Array[] = []
    await writePackage({
      base: {
        ...base,
        source: { kind: 'device', deviceId: options.deviceId ?? registryDeviceId(a), officeId: world.officeId },
        destination: { kind: 'registry', registryId: identity.registryId },
      },
      entries: async function* () {
        await Promise.resolve()
        yield* sampleOps(2)
      },
      attachments: [],
      readAttachment: async function* () {},
      sign: (message) => ed25519.sign(message, options.signer ?? ed25519.utils.randomSecretKey()),
      recipient: {
        kind: 'registry',
        publicKey: options.recipient ?? new Uint8Array(Buffer.from(identity.encryptionPublicKey, 'base64')),
      },
      sink: (bytes) => {
        parts.push(bytes.slice())
        return Promise.resolve()
      },
      createHash: nodeSha256,
    })
    return Buffer.concat(parts)
  }

  it('refuses at HQ: a signature by another key, an unknown device, a revoked device', async () => {
    const before = await hqState()
    writeFileSync(file('forged.outpost'), await craft({}))
    expect(await refused(importPackageFile(world.registry.db, file('forged.outpost')))).toBe('bad_signature')
    writeFileSync(file('stranger.outpost'), await craft({ deviceId: '01900000-0000-7000-8000-0000000000ff' }))
    expect(await refused(importPackageFile(world.registry.db, file('stranger.outpost')))).toBe('unknown_source')
    const c = await world.laptop('ref-revoked')
    await c.create({ name: 'Cy' })
    await officeExport(c, file('c.outpost'))
    await revokeDevice(world.registry.db, system, registryDeviceId(c))
    expect(await refused(importPackageFile(world.registry.db, file('c.outpost')))).toBe('revoked_source')
    expect(await hqState()).toBe(before)
  })

  it('applies a package once; again, it is refused as already applied and harmless', async () => {
    await importPackageFile(world.registry.db, file('a.outpost'))
    const before = await hqState()
    expect(await refused(importPackageFile(world.registry.db, file('a.outpost')))).toBe('already_applied')
    expect(await hqState()).toBe(before)
  })

  it('says clearly when the package file is missing or cannot be written there', async () => {
    await expect(officeImport(a, file('missing.outpost'))).rejects.toMatchObject({ code: 'not_found' })
    await expect(officeExport(a, join(file('a.outpost'), 'inside.outpost'))).rejects.toMatchObject({ code: 'validation' })
  })

  it('refuses at the office: another device, a package older than what it has, a forged registry', async () => {
    await importPackageFile(world.registry.db, file('a.outpost')).catch(() => undefined)
    const forB = file('for-b.outpost')
    await exportPackageFile(world.registry.db, { deviceId: registryDeviceId(b), path: forB })
    const state = hashDigest(laptopDigest(a.store))
    expect(await refused(officeImport(a, forB))).toBe('wrong_destination')
    const older = file('older.outpost')
    await exportPackageFile(world.registry.db, { deviceId: registryDeviceId(a), path: older })
    await a.create({ name: 'later' })
    await a.sync() // online sync moves the office past everything the older package holds
    const now = hashDigest(laptopDigest(a.store))
    expect(await refused(officeImport(a, older))).toBe('already_applied')
    expect(hashDigest(laptopDigest(a.store))).toBe(now)
    expect(now).not.toBe(state)
    const truncated = file('older-cut.outpost')
    writeFileSync(truncated, readFileSync(older).subarray(0, readFileSync(older).length - 10))
    expect(await refused(officeImport(a, truncated))).toBe('truncated')
  })
})
