import { z } from 'zod'
import type { SyncOp, SyncOpInput } from './ops'
import { opKinds } from './ops'

/**
 * The compact wire form of a batch of ops (docs/sync.md, "Wire format"): one column per op field
 * instead of one object per op, repeated strings (form versions, field paths, users, clock nodes)
 * named once in `dict`, and the initial values of `create` ops split into one column per field.
 * Values of one question sit side by side, so the compressor (brotli on the wire) finds what they
 * share: a batch travels at about half the gzip size of the records' plain JSON. Decoding gives
 * back the very ops (a create's payload keeps its keys, `values` last).
 */
export const wireBatchSchema = z.object({
  v: z.literal(2),
  dict: z.array(z.string().max(500)).max(10_000),
  opId: z.array(z.string()),
  recordId: z.array(z.string()),
  formVersion: z.array(z.number().int().min(0)),
  kind: z.array(
    z
      .number()
      .int()
      .min(0)
      .max(opKinds.length - 1),
  ),
  fieldPath: z.array(z.number().int().min(0)),
  oldValue: z.array(z.unknown()),
  /** A create's payload without `values` when `shape` is not -1, else the whole new value. */
  newValue: z.array(z.unknown()),
  /** Per op: -1, or the index in `shapes` of the fields its create payload's `values` holds, in order. */
  shape: z.array(z.number().int().min(-1)),
  shapes: z.array(z.array(z.number().int().min(0))),
  /** Per field (by dict index): its values, in the order of the creates that hold it. */
  columns: z.record(z.string(), z.array(z.unknown())),
  /** The clock without its node (`MMMMMMMMMMMMMMM-CCCCC`); the node is `node`, a dict index. */
  hlc: z.array(z.string()),
  node: z.array(z.number().int().min(0)),
  baseHlc: z.array(z.string().nullable()),
  seen: z.array(z.record(z.string(), z.string())),
  resolves: z.array(z.array(z.string())),
  userId: z.array(z.number().int().min(0)),
})
export type WireBatch = z.infer<typeof wireBatchSchema>

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

class Interner {
  readonly list: string[] = []
  private readonly index = new Map<string, number>()
  of(text: string): number {
    let at = this.index.get(text)
    if (at === undefined) {
      at = this.list.length
      this.list.push(text)
      this.index.set(text, at)
    }
    return at
  }
}

/** Splits a create payload into its `values` (kept apart, per field) and the rest. */
function splitCreate(
  op: SyncOp,
): { rest: Record<string, unknown>; values: Record<string, unknown> } | null {
  if (op.kind !== 'create' || !isPlainObject(op.newValue)) return null
  const { values, ...rest } = op.newValue
  return isPlainObject(values) ? { rest, values } : null
}

export function encodeBatch(ops: readonly SyncOp[]): WireBatch {
  const dict = new Interner()
  const shapes = new Interner()
  const batch: WireBatch = {
    v: 2,
    dict: dict.list,
    opId: [],
    recordId: [],
    formVersion: [],
    kind: [],
    fieldPath: [],
    oldValue: [],
    newValue: [],
    shape: [],
    shapes: [],
    columns: {},
    hlc: [],
    node: [],
    baseHlc: [],
    seen: [],
    resolves: [],
    userId: [],
  }
  for (const op of ops) {
    batch.opId.push(op.opId)
    batch.recordId.push(op.recordId)
    batch.formVersion.push(dict.of(op.formVersionId))
    batch.kind.push(opKinds.indexOf(op.kind))
    batch.fieldPath.push(dict.of(op.fieldPath))
    batch.oldValue.push(op.oldValue ?? null)
    const create = splitCreate(op)
    if (create) {
      const fields = Object.keys(create.values).map((key) => dict.of(key))
      const shape = shapes.of(fields.join(','))
      if (shape === batch.shapes.length) batch.shapes.push(fields)
      for (const field of fields) {
        const key = dict.list[field] ?? ''
        ;(batch.columns[field] ??= []).push(create.values[key] ?? null)
      }
      batch.newValue.push(create.rest)
      batch.shape.push(shape)
    } else {
      batch.newValue.push(op.newValue ?? null)
      batch.shape.push(-1)
    }
    batch.hlc.push(op.hlc.slice(0, 21))
    batch.node.push(dict.of(op.hlc.slice(22)))
    batch.baseHlc.push(op.baseHlc)
    batch.seen.push(op.seen)
    batch.resolves.push(op.resolves)
    batch.userId.push(dict.of(op.userId))
  }
  return batch
}

/**
 * Turns a wire batch back into ops, for the op schema to check. Inconsistent columns (lengths,
 * indexes out of range) are refused as a whole: a well-behaved client never sends them.
 */
export function decodeBatch(batch: WireBatch): SyncOpInput[] {
  const n = batch.opId.length
  const columns = [
    batch.recordId,
    batch.formVersion,
    batch.kind,
    batch.fieldPath,
    batch.oldValue,
    batch.newValue,
    batch.shape,
    batch.hlc,
    batch.node,
    batch.baseHlc,
    batch.seen,
    batch.resolves,
    batch.userId,
  ]
  if (columns.some((column) => column.length !== n)) throw new Error('columns of unequal length')
  const word = (index: number | undefined): string => {
    const text = batch.dict[index ?? -1]
    if (text === undefined) throw new Error('dictionary index out of range')
    return text
  }
  const taken = new Map<number, number>()
  const ops: SyncOpInput[] = []
  for (let i = 0; i < n; i++) {
    let newValue = batch.newValue[i]
    const shape = batch.shape[i] ?? -1
    if (shape >= 0) {
      const fields = batch.shapes[shape]
      if (!fields || !isPlainObject(newValue)) throw new Error('create shape out of range')
      const values: Record<string, unknown> = {}
      for (const field of fields) {
        const at = taken.get(field) ?? 0
        const column = batch.columns[field]
        if (!column || at >= column.length) throw new Error('value column too short')
        values[word(field)] = column[at]
        taken.set(field, at + 1)
      }
      newValue = { ...newValue, values }
    }
    ops.push({
      opId: batch.opId[i] ?? '',
      recordId: batch.recordId[i] ?? '',
      formVersionId: word(batch.formVersion[i]),
      kind: opKinds[batch.kind[i] ?? -1],
      fieldPath: word(batch.fieldPath[i]),
      oldValue: batch.oldValue[i],
      newValue,
      hlc: `${batch.hlc[i] ?? ''}-${word(batch.node[i])}`,
      baseHlc: batch.baseHlc[i] ?? null,
      seen: batch.seen[i] ?? {},
      resolves: batch.resolves[i] ?? [],
      userId: word(batch.userId[i]),
    })
  }
  return ops
}
