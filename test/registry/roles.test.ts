import { describe, expect, it } from 'vitest'
import { backends, enroll, makeOffice, signIn, useRegistry } from './helpers/harness'
import { makeOp, publishForm } from './helpers/world'

type Attempt = [method: string, path: string, body?: unknown]

describe.each(backends)('HQ roles on %s', (backend) => {
  const registry = useRegistry(backend)

  async function attempts(): Promise<{ adminOnly: Attempt[]; managerOnly: Attempt[] }> {
    const { db, call } = registry()
    const office = await makeOffice(db)
    const formVersionId = await publishForm(registry(), [office.id])
    const device = await enroll(registry(), office.id)
    const op = makeOp('0190b4c4-0000-7000-8000-000000000001', formVersionId, 'name', 'x')
    await call('POST', '/v1/device/ops', { token: device.token, body: { ops: [op] } })
    return {
      adminOnly: [
        ['POST', '/v1/hq/offices', { code: 'blocked', name: 'Blocked' }],
        [
          'POST',
          '/v1/hq/users',
          { email: 'x@y.z', name: 'x', role: 'admin', password: 'long enough password' },
        ],
        ['POST', '/v1/hq/enrollment-codes', { office: office.id }],
        ['POST', `/v1/hq/devices/${device.deviceId}/revoke`],
      ],
      managerOnly: [
        ['POST', `/v1/hq/forms/${formVersionId}/publish`, { offices: [office.id] }],
        ['POST', `/v1/hq/records/${op.recordId}/review`, { state: 'approved' }],
        [
          'POST',
          `/v1/hq/records/${op.recordId}/corrections`,
          { changes: [{ fieldPath: 'name', value: 'y' }] },
        ],
        ['PUT', '/v1/hq/registers/anything/entities/e1', { label: 'x', values: {} }],
      ],
    }
  }

  async function snapshot(): Promise<string> {
    const { db } = registry()
    const tables = [
      'changes',
      'records',
      'record_ops',
      'offices',
      'hq_users',
      'devices',
      'enrollment_codes',
      'form_publications',
    ] as const
    const rows = await Promise.all(
      tables.map((table) => db.selectFrom(table).selectAll().execute()),
    )
    return JSON.stringify(rows)
  }

  it('lets a viewer read but change nothing', async () => {
    const { call } = registry()
    const { adminOnly, managerOnly } = await attempts()
    const viewer = await signIn(registry(), 'viewer')
    const before = await snapshot()
    for (const [method, path, body] of [
      ...adminOnly,
      ...managerOnly,
      ['POST', '/v1/hq/forms?fileName=f.md'] as Attempt,
    ]) {
      const reply =
        body === undefined && path.includes('fileName')
          ? await call(method, path, { token: viewer, raw: Buffer.from('PK') })
          : await call(method, path, { token: viewer, body })
      expect({ path, status: reply.status }).toEqual({ path, status: 403 })
      expect(reply.body).toMatchObject({ error: { code: 'forbidden' } })
    }
    expect(await snapshot()).toBe(before)
    expect((await call('GET', '/v1/hq/records', { token: viewer })).status).toBe(200)
    expect((await call('GET', '/v1/hq/changes', { token: viewer })).status).toBe(200)
  })

  it('lets a data manager manage data but not offices, users or devices', async () => {
    const { call } = registry()
    const { adminOnly, managerOnly } = await attempts()
    const manager = await signIn(registry(), 'data_manager')
    const before = await snapshot()
    for (const [method, path, body] of adminOnly) {
      expect({ path, status: (await call(method, path, { token: manager, body })).status }).toEqual(
        { path, status: 403 },
      )
    }
    expect(await snapshot()).toBe(before)
    const [, reviewPath, reviewBody] = managerOnly[1] ?? []
    expect(
      (await call('POST', reviewPath ?? '', { token: manager, body: reviewBody })).status,
    ).toBe(204)
  })

  it('refuses a bad, expired or signed-out session', async () => {
    const { db, call } = registry()
    expect((await call('GET', '/v1/hq/offices', { token: 'ohs_bad' })).status).toBe(401)
    const token = await signIn(registry(), 'admin')
    expect((await call('GET', '/v1/hq/offices', { token })).status).toBe(200)
    await db
      .updateTable('hq_sessions')
      .set({ expires_at: new Date(Date.now() - 1) })
      .execute()
    expect((await call('GET', '/v1/hq/offices', { token })).status).toBe(401)
    const fresh = await signIn(registry(), 'admin')
    expect((await call('POST', '/v1/hq/logout', { token: fresh })).status).toBe(204)
    expect((await call('GET', '/v1/hq/offices', { token: fresh })).status).toBe(401)
  })

  it('gives one answer for a wrong password and an unknown email', async () => {
    const { call } = registry()
    await signIn(registry(), 'viewer')
    const unknown = await call('POST', '/v1/hq/login', {
      body: { email: 'nobody@hq.example', password: 'whatever it is' },
    })
    expect(unknown.status).toBe(401)
    const users = await registry().db.selectFrom('hq_users').select('email').execute()
    const wrong = await call('POST', '/v1/hq/login', {
      body: { email: users[0]?.email, password: 'not the password' },
    })
    expect(wrong).toMatchObject({ status: 401, body: unknown.body })
  })
})
