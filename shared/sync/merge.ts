import type { FeedOp } from './ops'
import { deletedKey, hlcNode, opWrites, statusKey } from './ops'

/**
 * Merge rules, the same on every replica.
 *
 * Winner: per key, the op with the greatest (hlc, opId). The hlc text ends in the author's node
 * id, so equal wall times and counters tie-break by device id; the op id only separates ops of
 * one node, which never share a stamp. Arrival order never matters.
 *
 * Seen: op B had seen op A when B's base for A's key is at or after A's clock. A replica's base
 * for a key is its winner for that key, and the winner's clock is the greatest it holds, so an
 * author who held A has a base of at least A.hlc.
 *
 * Concurrent: two ops on the same key where neither had seen the other. Two such ops with
 * different values make a conflict (equal values agree, so there is nothing to choose).
 *
 * A delete against an edit of another key (a field, the status): the delete had seen the edit
 * when its `seen` clock for the edit's key is at or after the edit; the edit had seen the delete
 * when its `seen` clock of `#deleted` is at or after the delete (an edit after a delete needs a
 * restore first, and the restore had seen the delete). Neither: a conflict. A delete against a
 * restore or another delete is a same-key (`#deleted`) question like any field.
 */
export type MergeOp = Pick<
  FeedOp,
  | 'opId'
  | 'recordId'
  | 'kind'
  | 'fieldPath'
  | 'newValue'
  | 'hlc'
  | 'baseHlc'
  | 'seen'
  | 'userId'
  | 'deviceId'
>

export type ConflictSide = {
  opId: string
  value: unknown
  hlc: string
  userId: string
  deviceId: string | null
}
export type ConflictFound = {
  id: string
  recordId: string
  fieldPath: string
  a: ConflictSide
  b: ConflictSide
}

export const clockOf = (op: Pick<MergeOp, 'hlc' | 'opId'>): string => `${op.hlc} ${op.opId}`

/** True when `op` should replace the current winner of a key (held as "hlc opId"). */
export function beats(op: Pick<MergeOp, 'hlc' | 'opId'>, current: string | undefined): boolean {
  return current === undefined || clockOf(op) > current
}

const sawBy = (base: string | null, hlc: string): boolean => base !== null && base >= hlc

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null)
}

export function conflictId(a: string, b: string): string {
  return a < b ? `${a}:${b}` : `${b}:${a}`
}

function side(op: MergeOp, value: unknown): ConflictSide {
  // The clock's node names the author the same way on every replica (device ids differ between a
  // laptop's own table and the registry's).
  return { opId: op.opId, value, hlc: op.hlc, userId: op.userId, deviceId: hlcNode(op.hlc) }
}

function valueAt(op: MergeOp, key: string): unknown {
  return opWrites(op).find(([k]) => k === key)?.[1]
}

/** Field against field: both wrote `key`, neither had seen the other, and they disagree. */
function fieldConflict(x: MergeOp, y: MergeOp, key: string): ConflictFound | null {
  if (x.kind === 'create' || y.kind === 'create') return null // a record is created once, by one author
  if (sawBy(x.baseHlc, y.hlc) || sawBy(y.baseHlc, x.hlc)) return null
  const [vx, vy] = [valueAt(x, key), valueAt(y, key)]
  if (sameJson(vx, vy)) return null
  const [a, b] = x.opId < y.opId ? [x, y] : [y, x]
  return {
    id: conflictId(x.opId, y.opId),
    recordId: x.recordId,
    fieldPath: key,
    a: side(a, valueAt(a, key)),
    b: side(b, valueAt(b, key)),
  }
}

const writesDeleted = (op: MergeOp): boolean => opWrites(op).some(([key]) => key === deletedKey)

/** A delete against an edit of the same record that neither author had seen. */
function deleteConflict(del: MergeOp, edit: MergeOp): ConflictFound | null {
  if (edit.kind === 'create') return null
  const editKey = edit.kind === 'status' ? statusKey : edit.fieldPath
  if (sawBy(del.seen[editKey] ?? null, edit.hlc) || sawBy(edit.seen[deletedKey] ?? null, del.hlc))
    return null
  const [a, b] = del.opId < edit.opId ? [del, edit] : [edit, del]
  const value = (op: MergeOp): unknown => (op === del ? { deleted: true } : op.newValue)
  return {
    id: conflictId(del.opId, edit.opId),
    recordId: del.recordId,
    fieldPath: `${deletedKey}:${editKey}`,
    a: side(a, value(a)),
    b: side(b, value(b)),
  }
}

/**
 * The conflicts a newly arrived op makes with the ops of its record already held. Pairwise and
 * symmetric, so every replica that ends with the same ops finds the same conflicts, whatever
 * order they came in.
 */
export function conflictsWith(op: MergeOp, history: readonly MergeOp[]): ConflictFound[] {
  const found: ConflictFound[] = []
  const keys = new Set(opWrites(op).map(([key]) => key))
  for (const other of history) {
    if (other.opId === op.opId) continue
    const [del, edit] =
      op.kind === 'delete' ? [op, other] : other.kind === 'delete' ? [other, op] : []
    if (del && edit && !writesDeleted(edit)) {
      const conflict = deleteConflict(del, edit)
      if (conflict) found.push(conflict)
      continue
    }
    for (const [key] of opWrites(other)) {
      if (!keys.has(key)) continue
      const conflict = fieldConflict(op, other, key)
      if (conflict) found.push(conflict)
    }
  }
  return found
}
