import { uuidv7 } from 'uuidv7'
import { describe, expect, it } from 'vitest'
import { backends, enroll, makeOffice, signIn, useRegistry } from './helpers/harness'
import { formFile, hlc, makeOp } from './helpers/world'

type Page = { changes: { kind: string; data: Record<string, unknown> }[] }

describe.each(backends)('forms, registers and records on %s', (backend) => {
  const registry = useRegistry(backend)

  it('uploads a form once per content and lets the office download the same bytes', async () => {
    const { db, call } = registry()
    const office = await makeOffice(db)
    const manager = await signIn(registry(), 'data_manager')
    const bytes = formFile('upload')
    const upload = await call('POST', '/v1/hq/forms?fileName=household_survey.md', {
      token: manager,
      raw: bytes,
    })
    expect(upload.status).toBe(200)
    const again = await call('POST', '/v1/hq/forms?fileName=household_survey.md', {
      token: manager,
      raw: bytes,
    })
    expect(again.body).toEqual(upload.body)
    const version = upload.body as { id: string; formKey: string }
    expect(version.formKey).toBe('household_survey')
    expect(
      (await call('POST', '/v1/hq/forms?fileName=notes.txt', { token: manager, raw: bytes }))
        .status,
    ).toBe(400)
    const broken = await call('POST', '/v1/hq/forms?fileName=broken.md', {
      token: manager,
      raw: Buffer.from('| survey |\n| | type | name |\n| | nonsense_type | x |\n'),
    })
    expect(broken).toMatchObject({ status: 400, body: { error: { code: 'validation' } } })
    expect(
      (
        await call('POST', `/v1/hq/forms/${version.id}/publish`, {
          token: manager,
          body: { offices: [office.code] },
        })
      ).body,
    ).toEqual({ published: 1 })
    const device = await enroll(registry(), office.id)
    expect((await call('GET', '/v1/device/forms', { token: device.token })).body).toMatchObject({
      forms: [{ id: version.id }],
    })
    const file = await call('GET', `/v1/device/forms/${version.id}/file`, { token: device.token })
    expect(file.body).toBe(bytes.toString())
  })

  it('imports, edits and publishes a register', async () => {
    const { db, call } = registry()
    const office = await makeOffice(db)
    const manager = await signIn(registry(), 'data_manager')
    const csv = '\uFEFFname,label,district\r\nv1,"Village, one",North\r\nv2,"Say ""two""",South\r\n'
    const first = await call('PUT', '/v1/hq/registers/villages/csv?title=Villages', {
      token: manager,
      raw: csv,
      type: 'text/csv',
    })
    expect(first.body).toMatchObject({ created: 2, updated: 0, deleted: 0 })
    const registerId = (first.body as { registerId: string }).registerId
    await call('POST', `/v1/hq/registers/${registerId}/publish`, {
      token: manager,
      body: { offices: [office.id] },
    })
    const second = await call('PUT', '/v1/hq/registers/villages/csv', {
      token: manager,
      raw: 'name,label,district\nv1,"Village, one",East\nv3,Three,West\n',
      type: 'text/csv',
    })
    expect(second.body).toMatchObject({ created: 1, updated: 1, deleted: 1 })
    const edit = await call('PUT', `/v1/hq/registers/${registerId}/entities/v3`, {
      token: manager,
      body: { label: 'Three!', values: { name: 'v3', district: 'West' } },
    })
    expect(edit.status).toBe(204)
    expect(
      (
        await call('PUT', '/v1/hq/registers/villages/csv', {
          token: manager,
          raw: 'label\nno name column\n',
          type: 'text/csv',
        })
      ).status,
    ).toBe(400)
    const device = await enroll(registry(), office.id)
    const entities = await call('GET', `/v1/device/registers/${registerId}/entities`, {
      token: device.token,
    })
    expect(entities.body).toMatchObject({
      entities: [
        {
          entityId: 'v1',
          label: 'Village, one',
          values: { district: 'East' },
          revision: 2,
          deleted: false,
        },
        { entityId: 'v2', label: 'Say "two"', deleted: true },
        { entityId: 'v3', label: 'Three!', revision: 2 },
      ],
    })
    const feed = (await call('GET', '/v1/device/changes', { token: device.token })).body as Page
    expect(feed.changes.map((change) => change.kind)).toEqual([
      'register.published',
      'register.imported',
      'register.entity',
    ])
  })

  it('accepts ops idempotently and keeps the latest clock per field', async () => {
    const { db, call } = registry()
    const office = await makeOffice(db)
    const manager = await signIn(registry(), 'data_manager')
    const upload = await call('POST', '/v1/hq/forms?fileName=visit.md', {
      token: manager,
      raw: formFile(),
    })
    const formVersionId = (upload.body as { id: string }).id
    await call('POST', `/v1/hq/forms/${formVersionId}/publish`, {
      token: manager,
      body: { offices: [office.id] },
    })
    const device = await enroll(registry(), office.id)
    const recordId = uuidv7()
    const now = Date.now()
    const newer = makeOp(recordId, formVersionId, 'age', 41, { hlc: hlc(now + 10) })
    const older = makeOp(recordId, formVersionId, 'age', 40, { hlc: hlc(now) })
    const name = makeOp(recordId, formVersionId, 'name', 'Amina', { hlc: hlc(now) })
    const push = await call('POST', '/v1/device/ops', {
      token: device.token,
      body: { ops: [newer, name] },
    })
    expect(push.body).toEqual({ accepted: 2, duplicates: 0 })
    const replay = await call('POST', '/v1/device/ops', {
      token: device.token,
      body: { ops: [newer, name, older] },
    })
    expect(replay.body).toEqual({ accepted: 1, duplicates: 2 })
    const record = await call('GET', `/v1/device/records/${recordId}`, { token: device.token })
    expect(record.body).toMatchObject({
      values: { age: 41, name: 'Amina' },
      reviewState: 'received',
    })
    expect((record.body as { ops: unknown[] }).ops).toHaveLength(3)
    const bad = await call('POST', '/v1/device/ops', {
      token: device.token,
      body: { ops: [{ ...name, hlc: 'yesterday' }] },
    })
    expect(bad).toMatchObject({ status: 400, body: { error: { code: 'validation' } } })
  })

  it('reviews and corrects a record, and the office hears of both', async () => {
    const { db, call } = registry()
    const office = await makeOffice(db)
    const manager = await signIn(registry(), 'data_manager')
    const upload = await call('POST', '/v1/hq/forms?fileName=visit.md', {
      token: manager,
      raw: formFile(),
    })
    const formVersionId = (upload.body as { id: string }).id
    await call('POST', `/v1/hq/forms/${formVersionId}/publish`, {
      token: manager,
      body: { offices: [office.id] },
    })
    const device = await enroll(registry(), office.id)
    const start = (
      (await call('GET', '/v1/device/changes', { token: device.token })).body as {
        nextCursor: string
      }
    ).nextCursor
    const recordId = uuidv7()
    await call('POST', '/v1/device/ops', {
      token: device.token,
      body: {
        ops: [makeOp(recordId, formVersionId, 'age', 400, { hlc: hlc(Date.now() + 60_000) })],
      },
    })
    expect(
      (
        await call('POST', `/v1/hq/records/${recordId}/review`, {
          token: manager,
          body: { state: 'rejected' },
        })
      ).status,
    ).toBe(400)
    expect(
      (
        await call('POST', `/v1/hq/records/${recordId}/review`, {
          token: manager,
          body: { state: 'rejected', comment: 'Age 400?' },
        })
      ).status,
    ).toBe(204)
    const corrected = await call('POST', `/v1/hq/records/${recordId}/corrections`, {
      token: manager,
      body: { changes: [{ fieldPath: 'age', value: 40 }] },
    })
    expect(corrected.status).toBe(200)
    const record = await call('GET', `/v1/hq/records/${recordId}`, { token: manager })
    expect(record.body).toMatchObject({ values: { age: 40 }, reviewState: 'corrected' })
    const ops = (
      record.body as { ops: { oldValue: unknown; newValue: unknown; deviceId: string | null }[] }
    ).ops
    expect(ops.at(-1)).toMatchObject({ oldValue: 400, newValue: 40, deviceId: null })
    const feed = (await call('GET', `/v1/device/changes?after=${start}`, { token: device.token }))
      .body as Page
    // The device's own op is not sent back to it (docs/sync.md); HQ's review (a status op and its
    // comment) and correction are.
    expect(feed.changes.map((change) => change.kind)).toEqual([
      'record.op',
      'record.reviewed',
      'record.op',
    ])
    expect(feed.changes[0]?.data).toMatchObject({ kind: 'status', newValue: 'rejected' })
    expect(feed.changes[1]?.data).toMatchObject({ state: 'rejected', comment: 'Age 400?' })
    expect(feed.changes[2]?.data).toMatchObject({ newValue: 40, deviceId: null })
    expect(
      (await call('GET', `/v1/hq/records?office=${office.id}`, { token: manager })).body,
    ).toMatchObject({ records: [{ id: recordId }] })
  })

  it('refuses an invalid feed cursor', async () => {
    const { db, call } = registry()
    const device = await enroll(registry(), (await makeOffice(db)).id)
    expect(
      (await call('GET', '/v1/device/changes?after=abc', { token: device.token })).status,
    ).toBe(400)
  })
})
