import { uuidv7 } from 'uuidv7'
import { describe, expect, it } from 'vitest'
import { createEnrollmentCode } from '../../registry/domain/devices'
import {
  backends,
  enroll,
  enrollBody,
  makeOffice,
  signIn,
  system,
  useRegistry,
} from './helpers/harness'
import { makeOp, publishForm } from './helpers/world'

async function counts(db: ReturnType<ReturnType<typeof useRegistry>>['db']) {
  const count = async (table: 'changes' | 'record_ops' | 'records' | 'devices' | 'offices') =>
    Number(
      (
        await db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll<string>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    )
  return {
    changes: await count('changes'),
    ops: await count('record_ops'),
    records: await count('records'),
    devices: await count('devices'),
    offices: await count('offices'),
  }
}

describe.each(backends)('access checks on %s', (backend) => {
  const registry = useRegistry(backend)

  describe('enrollment', () => {
    it('enrolls once with a code and refuses the same code again', async () => {
      const { db, call } = registry()
      const office = await makeOffice(db)
      const { code } = await createEnrollmentCode(db, system, { office: office.id })
      const first = await call('POST', '/v1/enroll', { body: enrollBody(code) })
      expect(first.status).toBe(200)
      expect(first.body).toMatchObject({ officeId: office.id })
      const before = await counts(db)
      const replay = await call('POST', '/v1/enroll', { body: enrollBody(code) })
      expect(replay.status).toBe(401)
      expect(replay.body).toMatchObject({ error: { code: 'unauthorized' } })
      expect(JSON.stringify(replay.body)).toContain('already used')
      expect(await counts(db)).toEqual(before)
    })

    it('lets only one of two devices racing with one code enroll', async () => {
      const { db, call } = registry()
      const office = await makeOffice(db)
      const { code } = await createEnrollmentCode(db, system, { office: office.id })
      const replies = await Promise.all(
        [1, 2, 3].map(() => call('POST', '/v1/enroll', { body: enrollBody(code) })),
      )
      expect(replies.map((reply) => reply.status).sort()).toEqual([200, 401, 401])
    })

    it('refuses an expired code', async () => {
      const { db, call } = registry()
      const office = await makeOffice(db)
      const { code } = await createEnrollmentCode(db, system, { office: office.id })
      await db
        .updateTable('enrollment_codes')
        .set({ expires_at: new Date(Date.now() - 1000) })
        .where('office_id', '=', office.id)
        .execute()
      const before = await counts(db)
      const reply = await call('POST', '/v1/enroll', { body: enrollBody(code) })
      expect(reply.status).toBe(401)
      expect(JSON.stringify(reply.body)).toContain('expired')
      expect(await counts(db)).toEqual(before)
    })

    it('refuses an unknown code and a signature made with another key', async () => {
      const { db, call } = registry()
      const office = await makeOffice(db)
      const { code } = await createEnrollmentCode(db, system, { office: office.id })
      expect(
        (await call('POST', '/v1/enroll', { body: enrollBody('AAAAA-BBBBB-CCCCC') })).status,
      ).toBe(401)
      const forged = { ...enrollBody(code), signature: enrollBody(code).signature }
      expect((await call('POST', '/v1/enroll', { body: forged })).status).toBe(401)
      // The code is still unused: a failed attempt does not burn it.
      expect((await call('POST', '/v1/enroll', { body: enrollBody(code) })).status).toBe(200)
    })

    it('stores only hashes of codes and tokens', async () => {
      const { db } = registry()
      const office = await makeOffice(db)
      const device = await enroll(registry(), office.id)
      const rows = await db
        .selectFrom('devices')
        .select('token_hash')
        .where('id', '=', device.deviceId)
        .execute()
      expect(rows[0]?.token_hash).toMatch(/^[0-9a-f]{64}$/)
      expect(JSON.stringify(await db.selectFrom('devices').selectAll().execute())).not.toContain(
        device.token,
      )
    })
  })

  describe('device tokens', () => {
    it('refuses a missing, malformed or unknown token', async () => {
      const { call } = registry()
      expect((await call('GET', '/v1/device/forms')).status).toBe(401)
      expect((await call('GET', '/v1/device/forms', { token: 'garbage' })).status).toBe(401)
      expect((await call('GET', '/v1/device/forms', { token: 'odt_notarealtoken' })).status).toBe(
        401,
      )
    })

    it('refuses a revoked device and keeps its push out', async () => {
      const { db, call } = registry()
      const office = await makeOffice(db)
      const formVersionId = await publishForm(registry(), [office.id])
      const device = await enroll(registry(), office.id)
      const admin = await signIn(registry(), 'admin')
      expect(
        (await call('POST', `/v1/hq/devices/${device.deviceId}/revoke`, { token: admin })).status,
      ).toBe(204)
      const before = await counts(db)
      const push = await call('POST', '/v1/device/ops', {
        token: device.token,
        body: { ops: [makeOp(uuidv7(), formVersionId, 'name', 'x')] },
      })
      expect(push.status).toBe(401)
      expect(JSON.stringify(push.body)).toContain('revoked')
      expect((await call('GET', '/v1/device/changes', { token: device.token })).status).toBe(401)
      expect(await counts(db)).toEqual(before)
    })

    it('refuses a device token on HQ routes and an HQ token on device routes', async () => {
      const { db, call } = registry()
      const office = await makeOffice(db)
      const device = await enroll(registry(), office.id)
      const admin = await signIn(registry(), 'admin')
      expect((await call('GET', '/v1/hq/offices', { token: device.token })).status).toBe(401)
      expect((await call('GET', '/v1/device/forms', { token: admin })).status).toBe(401)
    })
  })

  describe('office scoping', () => {
    it("refuses another office's record, for reading and for writing, and changes nothing", async () => {
      const { db, call } = registry()
      const [officeA, officeB] = [await makeOffice(db), await makeOffice(db)]
      const formVersionId = await publishForm(registry(), [officeA.id, officeB.id])
      const [deviceA, deviceB] = [
        await enroll(registry(), officeA.id),
        await enroll(registry(), officeB.id),
      ]
      const recordId = uuidv7()
      const own = await call('POST', '/v1/device/ops', {
        token: deviceB.token,
        body: { ops: [makeOp(recordId, formVersionId, 'name', 'secret')] },
      })
      expect(own.status).toBe(200)
      const before = await counts(db)
      const read = await call('GET', `/v1/device/records/${recordId}`, { token: deviceA.token })
      expect(read.status).toBe(403)
      expect(JSON.stringify(read.body)).not.toContain('secret')
      const missing = await call('GET', `/v1/device/records/${uuidv7()}`, { token: deviceA.token })
      expect(missing).toMatchObject({ status: 403, body: read.body })
      const ownOk = makeOp(uuidv7(), formVersionId, 'name', 'mine')
      const write = await call('POST', '/v1/device/ops', {
        token: deviceA.token,
        body: { ops: [ownOk, makeOp(recordId, formVersionId, 'name', 'overwritten')] },
      })
      expect(write.status).toBe(403)
      expect(await counts(db)).toEqual(before)
      const record = await call('GET', `/v1/device/records/${recordId}`, { token: deviceB.token })
      expect(record.body).toMatchObject({ values: { name: 'secret' } })
    })

    it("refuses forms and registers not published to the device's office", async () => {
      const { db, call } = registry()
      const [officeA, officeB] = [await makeOffice(db), await makeOffice(db)]
      const formVersionId = await publishForm(registry(), [officeB.id])
      const deviceA = await enroll(registry(), officeA.id)
      const manager = await signIn(registry(), 'data_manager')
      const imported = await call('PUT', '/v1/hq/registers/villages_scoped/csv', {
        token: manager,
        raw: 'name,label\nv1,One\n',
        type: 'text/csv',
      })
      expect(imported.status).toBe(200)
      const registerId = (imported.body as { registerId: string }).registerId
      await call('POST', `/v1/hq/registers/${registerId}/publish`, {
        token: manager,
        body: { offices: [officeB.id] },
      })
      expect((await call('GET', '/v1/device/forms', { token: deviceA.token })).body).toEqual({
        forms: [],
      })
      expect(
        (await call('GET', `/v1/device/forms/${formVersionId}/file`, { token: deviceA.token }))
          .status,
      ).toBe(403)
      expect((await call('GET', '/v1/device/registers', { token: deviceA.token })).body).toEqual({
        registers: [],
      })
      expect(
        (await call('GET', `/v1/device/registers/${registerId}/entities`, { token: deviceA.token }))
          .status,
      ).toBe(403)
      const before = await counts(db)
      const push = await call('POST', '/v1/device/ops', {
        token: deviceA.token,
        body: { ops: [makeOp(uuidv7(), formVersionId, 'a', 1)] },
      })
      expect(push.status).toBe(403)
      expect(await counts(db)).toEqual(before)
    })

    it("shows a device only its own office's changes in the feed", async () => {
      const { db, call } = registry()
      const [officeA, officeB] = [await makeOffice(db), await makeOffice(db)]
      await publishForm(registry(), [officeA.id])
      await publishForm(registry(), [officeB.id])
      const deviceA = await enroll(registry(), officeA.id)
      const page = await call('GET', '/v1/device/changes?limit=1000', { token: deviceA.token })
      const changes = (page.body as { changes: { officeId: string }[] }).changes
      expect(changes.length).toBeGreaterThan(0)
      expect(changes.every((change) => change.officeId === officeA.id)).toBe(true)
    })
  })
})
