import { describe, expect, it } from 'vitest'
import { formatRecoveryKey, generateX25519, parseRecoveryKey, sealTo, toBase64 } from '../../shared/crypto/seal'
import { registryIdentitySchema, registryPaths } from '../../shared/registry-api'
import { revokeDevice } from '../../registry/domain/devices'
import { getRegistryIdentity } from '../../registry/domain/identity'
import { recoveryInfo } from '../../registry/domain/recovery'
import { backends, enroll, makeOffice, signIn, system, useRegistry } from './helpers/harness'

describe.each(backends)('registry identity and data-key recovery on %s', (backend) => {
  const registry = useRegistry(backend)

  it('publishes one identity, the same in enrollment replies and across reads', async () => {
    const test = registry()
    const reply = await test.call('GET', registryPaths.identity)
    expect(reply.status).toBe(200)
    const identity = registryIdentitySchema.parse(reply.body)
    expect(Buffer.from(identity.signingPublicKey, 'base64')).toHaveLength(32)
    expect(Buffer.from(identity.encryptionPublicKey, 'base64')).toHaveLength(32)
    const office = await makeOffice(test.db)
    const enrolled = await enroll(test, office.id)
    expect(enrolled.registry).toEqual(identity)
    expect((await getRegistryIdentity(test.db)).registryId).toBe(identity.registryId)
  })

  it('opens a device sealed data key for an admin only, and never for a revoked device', async () => {
    const test = registry()
    const office = await makeOffice(test.db)
    const enrolled = await enroll(test, office.id)
    const dataKey = generateX25519().privateKey // any 32 random bytes
    const sealed = sealTo(enrolled.registry.encryptionPublicKey, dataKey, recoveryInfo(enrolled.deviceId))

    const viewer = await signIn(test, 'viewer')
    const refused = await test.call('POST', registryPaths.hqRecovery, {
      token: viewer,
      body: { deviceId: enrolled.deviceId, sealed },
    })
    expect(refused.status).toBe(403)

    const admin = await signIn(test, 'admin')
    const opened = await test.call('POST', registryPaths.hqRecovery, {
      token: admin,
      body: { deviceId: enrolled.deviceId, sealed },
    })
    expect(opened.status).toBe(200)
    const { recoveryKey } = opened.body as { recoveryKey: string }
    expect(recoveryKey).toBe(formatRecoveryKey(dataKey))
    expect(parseRecoveryKey(recoveryKey)).toEqual(dataKey)

    // Sealed for another device: the info binds the box to one device id.
    const other = await enroll(test, office.id)
    const swapped = await test.call('POST', registryPaths.hqRecovery, {
      token: admin,
      body: { deviceId: other.deviceId, sealed },
    })
    expect(swapped.status).toBe(400)
    expect(JSON.stringify(swapped.body)).toContain('not made for this registry and device')

    await revokeDevice(test.db, system, enrolled.deviceId)
    const revoked = await test.call('POST', registryPaths.hqRecovery, {
      token: admin,
      body: { deviceId: enrolled.deviceId, sealed },
    })
    expect(revoked.status).toBe(403)
    expect(JSON.stringify(revoked.body)).toContain('revoked')
  })

  it('refuses a box sealed to another key', async () => {
    const test = registry()
    const office = await makeOffice(test.db)
    const enrolled = await enroll(test, office.id)
    const stranger = generateX25519()
    const sealed = sealTo(toBase64(stranger.publicKey), new Uint8Array(32), recoveryInfo(enrolled.deviceId))
    const admin = await signIn(test, 'admin')
    const reply = await test.call('POST', registryPaths.hqRecovery, {
      token: admin,
      body: { deviceId: enrolled.deviceId, sealed },
    })
    expect(reply.status).toBe(400)
  })
})
