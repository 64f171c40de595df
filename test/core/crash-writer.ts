// Child process for the crash test: writes a burst of record ops and prints each op id only
// after its transaction committed. The parent SIGKILLs it at a random moment.
import { openStore } from '../../electron/core/db/open'
import { loadSelfDevice } from '../../electron/core/device'
import { createRecord, setFieldValues } from '../../electron/core/records/ops'

const [dbFile, migrationsDir] = process.argv.slice(2)
if (!dbFile || !migrationsDir) throw new Error('usage: crash-writer DB MIGRATIONS')

const store = openStore(dbFile, migrationsDir)
const device = await loadSelfDevice(store)
const actor = { device, userId: 'crash-test' }
const now = Date.now()
await store.db
  .insertInto('forms')
  .values({ id: `f-${process.pid}`, form_id: `form-${process.pid}`, title: 'Crash', created_at: now, updated_at: now })
  .execute()
await store.db
  .insertInto('form_versions')
  .values({ id: `v-${process.pid}`, form_id: `f-${process.pid}`, version: '1', title: 'Crash', xform: '<x/>', source_name: null, sha256: 'h', created_at: now })
  .execute()
process.stdout.write('ready\n')

for (let i = 0; ; i++) {
  const record = await createRecord(store, actor, `v-${process.pid}`, { name: `child ${i}`, age: i % 90 })
  process.stdout.write(record.ops.map((op) => `ack ${op.id}\n`).join(''))
  for (let j = 0; j < 5; j++) {
    const ops = await setFieldValues(store, actor, record.id, [{ path: 'age', value: (i + j) % 90 }, { path: 'note', value: 'x'.repeat(j * 100) }])
    process.stdout.write(ops.map((op) => `ack ${op.id}\n`).join(''))
  }
}
