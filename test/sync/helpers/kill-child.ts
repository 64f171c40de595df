// A laptop's sync in its own process, killed with SIGKILL at the named moment:
// `node --import tsx kill-child.ts <dataDir> push|pull`. Used by faults-kill.test.ts.
import { join } from 'node:path'
import { openStore } from '../../../electron/core/db/open'
import { loadSelfDevice } from '../../../electron/core/device'
import { SyncClient } from '../../../electron/core/sync/client'
import { fileKeyStore } from '../../../electron/core/sync/keystore'
import { migrationsDir } from '../../helpers/paths'

const [dataDir = '', moment = 'push'] = process.argv.slice(2)
const die = (): never => {
  process.kill(process.pid, 'SIGKILL')
  throw new Error('unreachable')
}
const store = openStore(join(dataDir, 'outpost.db'), migrationsDir)
const device = await loadSelfDevice(store)
const client = new SyncClient({
  store,
  device,
  dataDir,
  keyStore: fileKeyStore(join(dataDir, 'device-key.json')),
  limits: { maxOps: 50, maxBytes: 64 * 1024 },
  pageSize: 50,
  // Push: the registry has committed the batch, the cursor is not written. Pull: the page's rows
  // are written inside the open transaction, its cursor is not.
  faults:
    moment === 'push'
      ? { beforePushCursor: (batch) => (batch === 1 ? die() : undefined) }
      : { beforePullCursor: (page) => (page === 1 ? die() : undefined) },
})
await client.syncNow()
console.log(JSON.stringify({ survived: true, error: client.status().lastError }))
