import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openStore, type Store } from '../../electron/core/db/open'
import { loadSelfDevice, type Device } from '../../electron/core/device'
import { EventBus } from '../../electron/core/events'
import { createRecord, setFieldValues } from '../../electron/core/records/ops'
import { createSyncHandlers } from '../../electron/core/sync/handlers'
import { createEnrollmentCode } from '../../registry/domain/devices'
import { AppFailure } from '../../shared/errors'
import { makeTempDir, migrationsDir } from '../helpers/paths'
import { system } from '../registry/helpers/harness'
import { makeWorld, type World } from '../sync/helpers/world'

/** The sync calls the screens use beyond the protocol: refusals listed, conflicts named, enrollment once. */
describe('sync calls for the sync and conflicts screens', () => {
  let world: World
  let store: Store
  let device: Device
  let temp: ReturnType<typeof makeTempDir>
  let sync: ReturnType<typeof createSyncHandlers>
  let notRegistry: Server
  const code = async () => (await createEnrollmentCode(world.registry.db, system, { office: world.officeId })).code

  beforeAll(async () => {
    world = await makeWorld()
    temp = makeTempDir('outpost-sync-handlers-')
    store = openStore(join(temp.dir, 'outpost.db'), migrationsDir)
    device = await loadSelfDevice(store)
    sync = createSyncHandlers({ store, device, events: new EventBus(), dataDir: temp.dir, userId: 'amina', autoStart: false })
    notRegistry = createServer((_request, response) => response.end('<html>a router page</html>'))
    await new Promise<void>((resolve) => notRegistry.listen(0, '127.0.0.1', resolve))
  }, 120_000)
  afterAll(async () => {
    sync?.client.stop()
    await sync?.client.idle()
    await store?.close()
    temp?.cleanup()
    notRegistry?.close()
    await world?.close()
  })

  it('says plainly when the address answers but is not a registry', async () => {
    const port = (notRegistry.address() as AddressInfo).port
    const failure = await sync.handlers['sync.enroll']({ registryUrl: `http://127.0.0.1:${port}`, code: 'ABCD-1234', deviceName: 'x' }).catch((e: unknown) => e)
    expect(failure).toBeInstanceOf(AppFailure)
    expect((failure as AppFailure).code).toBe('validation')
    expect((failure as AppFailure).message).toContain('not an Outpost registry')
    expect((await sync.handlers['sync.status']({})).enrolled).toBe(false)
  })

  it('enrolls once and refuses a second enrollment without changing anything', async () => {
    await sync.handlers['sync.enroll']({ registryUrl: world.proxy.url, code: await code(), deviceName: 'Office 1' })
    const again = await sync.handlers['sync.enroll']({ registryUrl: 'http://127.0.0.1:9', code: await code(), deviceName: 'Office 1' }).catch((e: unknown) => e)
    expect((again as AppFailure).code).toBe('conflict')
    expect((again as AppFailure).message).toContain('already enrolled')
    expect((await sync.handlers['sync.status']({})).registryUrl).toBe(world.proxy.url)
  })

  it('names the record and form of a conflict so the screen can label it', async () => {
    await sync.client.idle()
    await sync.handlers['sync.now']({})
    const actor = { device, userId: 'amina' }
    const { id } = await createRecord(store, actor, world.formVersionId, { name: 'Ana', age: 30 })
    await sync.handlers['sync.now']({})
    const reply = await world.registry.call('POST', `/v1/hq/records/${id}/corrections`, {
      token: world.hqToken,
      body: { changes: [{ fieldPath: 'age', value: 31 }] },
    })
    expect(reply.status).toBe(200)
    await setFieldValues(store, actor, id, [{ path: 'age', value: 32 }])
    const status = await sync.handlers['sync.now']({})
    expect(status).toMatchObject({ lastError: null, conflicts: 1 })
    const [conflict] = await sync.handlers['sync.conflicts']({ recordId: id })
    const form = store.sqlite.prepare('SELECT title FROM forms').get() as { title: string }
    expect(conflict).toMatchObject({
      recordId: id,
      fieldPath: 'age',
      record: { formVersionId: world.formVersionId, formTitle: form.title, name: null },
    })
    expect([conflict?.a.value, conflict?.b.value].sort()).toEqual([31, 32])
  })

  it('lists each refused record once, with the reason of its latest refusal and how many changes wait', async () => {
    expect(await sync.handlers['sync.rejections']({})).toEqual([])
    const { id } = await createRecord(store, { device, userId: 'amina' }, world.formVersionId, { name: 'Kofi' })
    // What push writes when the registry refuses a record's ops one by one (electron/core/sync/push.ts).
    const refuse = store.sqlite.prepare('INSERT INTO sync_rejections (op_id, record_id, code, message, rejected_at) VALUES (?, ?, ?, ?, ?)')
    refuse.run('op-1', id, 'validation', 'The age is not a number.', 1_000)
    refuse.run('op-2', id, 'forbidden', 'This form is closed for your office.', 2_000)
    refuse.run('op-3', 'gone-record', 'not_found', 'There is no such form version.', 1_500)
    const rejections = await sync.handlers['sync.rejections']({})
    expect(rejections).toHaveLength(2)
    expect(rejections[0]).toMatchObject({ recordId: id, ops: 2, code: 'forbidden', message: 'This form is closed for your office.', rejectedAt: 2_000 })
    expect(rejections[0]?.record?.formVersionId).toBe(world.formVersionId)
    expect(rejections[1]).toMatchObject({ recordId: 'gone-record', ops: 1, record: null })
    expect((await sync.handlers['sync.status']({})).rejections).toBe(2)
  })
})
