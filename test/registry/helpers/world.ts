import { uuidv7 } from 'uuidv7'
import type { RecordOp } from '../../../shared/registry-api'
import { publishFormVersion, uploadForm } from '../../../registry/domain/forms'
import type { TestRegistry } from './harness'
import { system, uniqueName } from './harness'

/** Uploads a small fake XLSForm and publishes it to the offices; returns the version id. */
export async function publishForm(registry: TestRegistry, officeIds: string[]): Promise<string> {
  const bytes = Buffer.from(`PK fake xlsx ${uniqueName('form')}`)
  const version = await uploadForm(registry.db, system, {
    bytes,
    fileName: `${uniqueName('household')}.xlsx`,
  })
  await publishFormVersion(registry.db, system, version.id, officeIds)
  return version.id
}

let counter = 0
export function hlc(ms = Date.now(), node = 'dev1'): string {
  counter = (counter + 1) % 1000
  return `${String(ms).padStart(15, '0')}-${counter.toString(36).padStart(5, '0')}-${node}`
}

export function makeOp(
  recordId: string,
  formVersionId: string,
  fieldPath: string,
  newValue: unknown,
  overrides: Partial<RecordOp> = {},
): RecordOp {
  return {
    opId: uuidv7(),
    recordId,
    formVersionId,
    fieldPath,
    oldValue: null,
    newValue,
    hlc: hlc(),
    userId: 'clerk-1',
    ...overrides,
  }
}
