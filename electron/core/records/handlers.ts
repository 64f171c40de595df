import { userInfo } from 'node:os'
import type { Handlers } from '../../../shared/api'
import type { Store } from '../db/open'
import type { Device } from '../device'
import type { EventBus } from '../events'
import { addAttachment } from './attachments'
import { exportRecords } from './export/run'
import { recordHistory, restoreField } from './history'
import { listRecords, searchRecords } from './list'
import { createRecord, deleteRecord, restoreRecord, setFieldValues, setStatus, type Actor } from './ops'
import { getRecord } from './read'
import { recordStats, setTarget } from './stats'

export type RecordsDeps = {
  store: Store
  device: Device
  events: EventBus
  dataDir: string
  /** Who is at the keyboard. Until sign-in exists, the operating system's user name. */
  userId?: () => string
  now?: () => number
}

type RecordsCall = Extract<keyof Handlers, `records.${string}`>
export type RecordsHandlers = Pick<Handlers, RecordsCall>

function osUser(): string {
  try {
    return userInfo().username || 'local'
  } catch {
    return 'local' // some sandboxes have no passwd entry; the device id still identifies the laptop
  }
}

/** The records domain of the handler map: spread into the core's handlers. */
export function createRecordsHandlers(deps: RecordsDeps): RecordsHandlers {
  const { store, dataDir } = deps
  const actor = (): Actor => ({ device: deps.device, userId: (deps.userId ?? osUser)(), now: deps.now })
  return {
    'records.list': (args) => listRecords(store, args),
    'records.search': (args) => searchRecords(store, args),
    'records.get': ({ id }) => getRecord(store, id),
    'records.create': async ({ formVersionId, values, ...extra }) => {
      const { id } = await createRecord(store, actor(), formVersionId, values, extra)
      return getRecord(store, id)
    },
    'records.update': async ({ id, changes, instanceName, instanceXml }) => {
      await setFieldValues(store, actor(), id, changes, { instanceName, instanceXml })
      return getRecord(store, id)
    },
    'records.setStatus': async ({ id, status }) => {
      await setStatus(store, actor(), id, status)
      return getRecord(store, id)
    },
    'records.delete': async ({ id }) => {
      await deleteRecord(store, actor(), id)
      return getRecord(store, id)
    },
    'records.restore': async ({ id }) => {
      await restoreRecord(store, actor(), id)
      return getRecord(store, id)
    },
    'records.history': async ({ id }) => ({ entries: await recordHistory(store, id) }),
    'records.restoreField': async ({ id, path, opId }) => {
      await restoreField(store, actor(), id, path, opId)
      return getRecord(store, id)
    },
    'records.stats': (args) => recordStats(store, args),
    'records.setTarget': ({ formId, target }) => setTarget(store, actor(), formId, target),
    'records.addAttachment': ({ contentBase64, ...input }) =>
      addAttachment(store, actor(), dataDir, { ...input, bytes: new Uint8Array(Buffer.from(contentBase64, 'base64')) }),
    'records.export': (args) =>
      exportRecords(store.sqlite.name, args, (progress) => deps.events.emit('records.exportProgress', progress)),
  }
}
