// Child process for the records crash test: saves records with attachments through the core's
// own dispatcher (and now and then a bulk create) and prints "ack <record> <sha256>…" only after
// each call has returned. The parent SIGKILLs it at a random moment.
import { randomBytes } from 'node:crypto'
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { openStore } from '../../electron/core/db/open'
import { loadSelfDevice } from '../../electron/core/device'
import { createDispatcher } from '../../electron/core/dispatch'
import { EventBus } from '../../electron/core/events'
import { setAttachmentKey } from '../../electron/core/records/attachments'
import { createRecordsHandlers } from '../../electron/core/records/handlers'
import { createRecords } from '../../electron/core/records/ops'
import type { Handlers } from '../../shared/api'

const [dataDir, migrationsDir, keyHex] = process.argv.slice(2)
if (!dataDir || !migrationsDir || !keyHex) throw new Error('usage: records-crash-writer DATA_DIR MIGRATIONS KEY_HEX')
const key = Buffer.from(keyHex, 'hex')

// The records handlers alone, behind the real dispatcher: the whole core would load the form
// compiler too, and start-up time is what bounds fifty kills.
mkdirSync(dataDir, { recursive: true })
// Encrypted like the app's store: the database with the data key, the files with its attachment key.
const store = openStore(join(dataDir, 'outpost.db'), migrationsDir, key)
setAttachmentKey(dataDir, key)
const device = await loadSelfDevice(store)
const core = {
  store,
  dispatch: createDispatcher(createRecordsHandlers({ store, device, events: new EventBus(), dataDir }) as Handlers),
}
const now = Date.now()
const formKey = `f-${process.pid}`
await core.store.db.insertInto('forms').values({ id: formKey, form_id: `crash-${process.pid}`, title: 'Crash', created_at: now, updated_at: now }).execute()
await core.store.db
  .insertInto('form_versions')
  .values({ id: `v-${process.pid}`, form_id: formKey, version: '1', title: 'Crash', xform: '<x/>', source_name: null, sha256: 'h', created_at: now })
  .execute()
process.stdout.write('ready\n')

async function call(name: string, input: unknown): Promise<{ id?: string; sha256?: string }> {
  const result = await core.dispatch(name, input)
  if (!result.ok) throw new Error(`${name}: ${result.error.message}`)
  return result.value as { id?: string; sha256?: string }
}

const shared = randomBytes(4096).toString('base64') // the same photo attached again: stored once
for (let i = 0; ; i++) {
  const record = await call('records.create', { formVersionId: `v-${process.pid}`, values: { name: `child ${i}`, age: i % 90 }, instanceName: `r${i}` })
  const hashes: string[] = []
  for (let j = 0; j < 1 + (i % 3); j++) {
    const content = j === 2 ? shared : randomBytes(1024 + Math.floor(Math.random() * 256 * 1024)).toString('base64')
    const added = await call('records.addAttachment', { recordId: record.id, fieldPath: `photo${j}`, fileName: `p${i}-${j}.jpg`, mediaType: 'image/jpeg', contentBase64: content })
    hashes.push(added.sha256 ?? '')
  }
  process.stdout.write(`ack ${record.id ?? ''} ${hashes.join(' ')}\n`)
  // Now and then a bulk create, acknowledged at its commit and indexed after it
  // (index-backlog.ts): a kill may land between the two, or during the indexing.
  if (i % 5 === 4) {
    const inputs = Array.from({ length: 150 }, (_, k) => ({ formVersionId: `v-${process.pid}`, values: { name: `bulk ${i} ${k}`, age: k % 90 }, instanceName: `b${i}-${k}` }))
    for (const id of await createRecords(store, { device, userId: 'crash' }, inputs)) process.stdout.write(`ack ${id}\n`)
  }
}
