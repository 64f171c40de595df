import { join } from 'node:path'
import type { PackageExportScope } from '../../shared/api/packages'
import { exportPackage } from '../../electron/core/packages/export'
import type { ImportDeps } from '../../electron/core/packages/import'
import { importPackage, inspectPackage } from '../../electron/core/packages/import'
import { loadDeviceKeys, readEnrollment } from '../../electron/core/packages/keys'
import { fileKeyStore } from '../../electron/core/sync/keystore'
import type { Laptop } from '../sync/helpers/world'

export const keyStoreOf = (laptop: Laptop) => fileKeyStore(join(laptop.dir, 'device-key.json'))

export function registryDeviceId(laptop: Laptop): string {
  return readEnrollment(laptop.store.sqlite).deviceId
}

export async function officeExport(
  laptop: Laptop,
  path: string,
  scope: PackageExportScope = { kind: 'unacknowledged' },
  chunkSize?: number,
) {
  return exportPackage(
    {
      sqlite: laptop.store.sqlite,
      selfId: laptop.device.id,
      dataDir: laptop.dir,
      enrollment: readEnrollment(laptop.store.sqlite),
      keys: await loadDeviceKeys(keyStoreOf(laptop)),
      now: Date.now,
      ...(chunkSize ? { chunkSize } : {}),
    },
    { path, scope },
  )
}

function importDeps(laptop: Laptop): ImportDeps {
  return {
    sqlite: laptop.store.sqlite,
    selfId: laptop.device.id,
    clock: laptop.device.clock,
    dataDir: laptop.dir,
    keyStore: keyStoreOf(laptop),
    now: Date.now,
  }
}

export const officeImport = (laptop: Laptop, path: string) => importPackage(importDeps(laptop), path)
export const officeInspect = (laptop: Laptop, path: string) => inspectPackage(importDeps(laptop), path)

export function waiting(laptop: Laptop): number {
  const push = laptop.store.sqlite.prepare("SELECT value FROM sync_state WHERE key = 'push_seq'").get() as
    | { value: string }
    | undefined
  return (
    laptop.store.sqlite
      .prepare('SELECT count(*) AS n FROM record_ops WHERE device_id = ? AND seq > ?')
      .get(laptop.device.id, Number(push?.value ?? '0')) as { n: number }
  ).n
}
