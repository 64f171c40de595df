import type { SyncOp } from '../../../shared/sync/ops'
import { syncOpSchema } from '../../../shared/sync/ops'

/** Builders of wire ops for the batch-format tests (wire.test.ts, wire-check.test.ts). */
export const version = '01938a5e-0000-7000-8000-000000000001'
let n = 0
export const id = (): string => `01938a5e-0000-7000-8000-${String(1000 + n++).padStart(12, '0')}`
export const clock = (ms: number, node = 'device-a'): string => `${String(ms).padStart(15, '0')}-00000-${node}`

export function op(partial: Partial<SyncOp>): SyncOp {
  return syncOpSchema.parse({
    opId: id(),
    recordId: id(),
    formVersionId: version,
    kind: 'set',
    fieldPath: 'q1',
    oldValue: null,
    newValue: null,
    hlc: clock(1000 + n),
    userId: 'clerk',
    ...partial,
  })
}
