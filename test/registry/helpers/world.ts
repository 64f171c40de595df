import { uuidv7 } from 'uuidv7'
import type { RecordOp } from '../../../shared/registry-api'
import { publishFormVersion, uploadForm } from '../../../registry/domain/forms'
import type { TestRegistry } from './harness'
import { system, uniqueName } from './harness'

/** A small valid XLSForm in the compiler's Markdown layout; `note` makes each one a new version. */
export function formFile(note = uniqueName('form')): Buffer {
  return Buffer.from(
    `| survey |\n| | type | name | label |\n| | text | name | Name |\n| | integer | age | Age (${note}) |\n`,
  )
}

/** Uploads a small XLSForm and publishes it to the offices; returns the version id. */
export async function publishForm(registry: TestRegistry, officeIds: string[]): Promise<string> {
  const version = await uploadForm(registry.db, system, {
    bytes: formFile(),
    fileName: `${uniqueName('household')}.md`,
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
