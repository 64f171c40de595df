import { userInfo } from 'node:os'
import type { Handlers, SessionUser } from '../../../shared/api'
import { can } from '../../../shared/api'
import { AppFailure } from '../../../shared/errors'
import type { Store } from '../db/open'
import type { Device } from '../device'
import type { EventBus } from '../events'
import { addAttachment, readAttachment } from './attachments'
import { exportRecords } from './export/run'
import { recordHistory, restoreField } from './history'
import { indexWhenIdle } from './index-backlog'
import { listRecords, searchRecords } from './list'
import { createRecord, deleteRecord, restoreRecord, setFieldValues, setStatus, type Actor } from './ops'
import { getRecord } from './read'
import { recordStats, setTarget } from './stats'

export type RecordsDeps = {
  store: Store
  device: Device
  events: EventBus
  dataDir: string
  /** Who is at the keyboard: the signed-in user (the core's session). */
  session?: () => SessionUser | null
  /** The data key, for the export's own read connection to the encrypted database. */
  dataKey?: () => Uint8Array | undefined
  /** Without a session (tools, tests of the records domain alone): this author, with every right. */
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

type Access = 'read' | 'change'

/**
 * Record-level rules on top of the per-call permissions checked in dispatch: supervisors see
 * and change every record of the office; collectors only their own; data-entry clerks only
 * their own, and change them only while they are drafts.
 */
function createAccess(deps: RecordsDeps) {
  const user = (): SessionUser | null => deps.session?.() ?? null
  return {
    author: (): string => user()?.username ?? (deps.userId ?? osUser)(),
    ownedBy: (): string | undefined => {
      const current = user()
      return current && !can(current.role, 'records.viewAll') ? current.username : undefined
    },
    check: async (id: string, access: Access): Promise<void> => {
      const current = user()
      if (!current || can(current.role, 'records.viewAll')) return
      const row = await deps.store.db.selectFrom('records').select(['created_by', 'status']).where('id', '=', id).executeTakeFirst()
      if (!row) return // the handler answers not_found in its own words
      if (row.created_by !== current.username) {
        throw new AppFailure('forbidden', 'This record was filled by someone else. Only its author and supervisors can open or change it.')
      }
      if (access === 'change' && current.role === 'clerk' && row.status !== 'draft') {
        throw new AppFailure('forbidden', `Data-entry clerks can correct their own drafts only, and this record is ${row.status}. Ask a supervisor.`)
      }
    },
    review: (status: string): void => {
      const current = user()
      if (current && (status === 'approved' || status === 'rejected') && !can(current.role, 'records.review')) {
        throw new AppFailure('forbidden', 'Only supervisors can approve or reject records.')
      }
    },
  }
}

/** The records domain of the handler map: spread into the core's handlers. */
export function createRecordsHandlers(deps: RecordsDeps): RecordsHandlers {
  const { store, dataDir } = deps
  const access = createAccess(deps)
  const actor = (): Actor => ({ device: deps.device, userId: access.author(), now: deps.now })
  // Records a bulk create saved before a crash or a quit, not yet in the search indexes.
  indexWhenIdle(store)
  return {
    'records.list': (args) => listRecords(store, { ...args, ownedBy: access.ownedBy() }),
    'records.search': (args) => searchRecords(store, { ...args, ownedBy: access.ownedBy() }),
    'records.get': async ({ id }) => {
      await access.check(id, 'read')
      return getRecord(store, id)
    },
    'records.create': async ({ formVersionId, values, ...extra }) => {
      const { id } = await createRecord(store, actor(), formVersionId, values, extra)
      return getRecord(store, id)
    },
    'records.update': async ({ id, changes, instanceName, instanceXml }) => {
      await access.check(id, 'change')
      await setFieldValues(store, actor(), id, changes, { instanceName, instanceXml })
      return getRecord(store, id)
    },
    'records.setStatus': async ({ id, status }) => {
      access.review(status)
      await access.check(id, 'change')
      await setStatus(store, actor(), id, status)
      return getRecord(store, id)
    },
    'records.delete': async ({ id }) => {
      await access.check(id, 'change')
      await deleteRecord(store, actor(), id)
      return getRecord(store, id)
    },
    'records.restore': async ({ id }) => {
      await access.check(id, 'change')
      await restoreRecord(store, actor(), id)
      return getRecord(store, id)
    },
    'records.history': async ({ id }) => {
      await access.check(id, 'read')
      return { entries: await recordHistory(store, id) }
    },
    'records.restoreField': async ({ id, path, opId }) => {
      await access.check(id, 'change')
      await restoreField(store, actor(), id, path, opId)
      return getRecord(store, id)
    },
    'records.stats': (args) => recordStats(store, { ...args, ownedBy: access.ownedBy() }),
    'records.setTarget': ({ formId, target }) => setTarget(store, actor(), formId, target),
    'records.addAttachment': async ({ contentBase64, ...input }) => {
      await access.check(input.recordId, 'change')
      return addAttachment(store, actor(), dataDir, { ...input, bytes: new Uint8Array(Buffer.from(contentBase64, 'base64')) })
    },
    'records.readAttachment': async ({ recordId, attachmentId }) => {
      await access.check(recordId, 'read')
      const { bytes, ...info } = await readAttachment(store, dataDir, recordId, attachmentId)
      return { ...info, contentBase64: bytes.toString('base64') }
    },
    'records.export': (args) =>
      exportRecords(store.sqlite.name, args, (progress) => deps.events.emit('records.exportProgress', progress), undefined, deps.dataKey?.()),
  }
}
