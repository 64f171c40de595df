import { regexes } from 'zod'
import type { SyncOp } from './ops'
import { hlcPattern, opKinds } from './ops'

/**
 * The registry's fast path for a pushed batch in the column form (wire.ts): checks the columns
 * and builds the ops in one pass, without a zod object per op (about 15 µs an op, a tenth of a
 * first push). It answers the ops only when `pushOpsRequestSchema` would take the batch and give
 * the very same ops; anything else (a malformed batch, the `{ ops }` form of older clients, a
 * string too long) answers null, and the caller parses with the schema, which says what is
 * wrong. So it may refuse more than the schema, never less (test/sync/wire-check.test.ts).
 */

const uuid = regexes.uuid()
const hlc = hlcPattern
const maxOps = 1000

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

const isIndex = (value: unknown, below: number): value is number =>
  typeof value === 'number' && Number.isInteger(value) && value >= 0 && value < below

const isString = (value: unknown, max: number): value is string =>
  typeof value === 'string' && value.length <= max

function isSeen(value: unknown): value is Record<string, string> {
  if (!isObject(value)) return false
  for (const key in value) {
    if (!Object.hasOwn(value, key)) return false
    const clock = value[key]
    if (key.length > 500 || typeof clock !== 'string' || !hlc.test(clock)) return false
  }
  return true
}

const isShape = (fields: unknown): boolean =>
  Array.isArray(fields) &&
  fields.every((field) => typeof field === 'number' && Number.isSafeInteger(field) && field >= 0)

const isResolves = (value: unknown): value is string[] =>
  Array.isArray(value) && value.length <= 100 && value.every((id) => isString(id, 100))

/** Per dict entry: whether it is a uuid (for form versions), checked once each. */
function dictChecks(dict: unknown): { words: string[]; uuids: boolean[] } | null {
  if (!Array.isArray(dict) || dict.length > 10_000) return null
  const words: string[] = []
  for (const word of dict as unknown[]) {
    if (!isString(word, 500)) return null
    words.push(word)
  }
  return { words, uuids: words.map((word) => uuid.test(word)) }
}

type Columns = Record<
  | 'opId'
  | 'recordId'
  | 'formVersion'
  | 'kind'
  | 'fieldPath'
  | 'oldValue'
  | 'newValue'
  | 'shape'
  | 'hlc'
  | 'node'
  | 'baseHlc'
  | 'seen'
  | 'resolves'
  | 'userId',
  unknown[]
>
const columnNames = [
  'opId',
  'recordId',
  'formVersion',
  'kind',
  'fieldPath',
  'oldValue',
  'newValue',
  'shape',
  'hlc',
  'node',
  'baseHlc',
  'seen',
  'resolves',
  'userId',
] as const

function columnsOf(body: Record<string, unknown>): Columns | null {
  const n = Array.isArray(body.opId) ? body.opId.length : -1
  if (n < 1 || n > maxOps) return null
  for (const name of columnNames) {
    const column = body[name]
    if (!Array.isArray(column) || column.length !== n) return null
  }
  return body as Columns
}

/** A create's values, rebuilt from the per-field columns; null if the shape does not fit. */
function valuesOf(
  fields: unknown,
  words: readonly string[],
  columns: Record<string, unknown>,
  taken: Map<number, number>,
): Record<string, unknown> | null {
  if (!Array.isArray(fields)) return null
  const values: Record<string, unknown> = {}
  for (const field of fields) {
    if (!isIndex(field, words.length)) return null
    const column = columns[field]
    const at = taken.get(field) ?? 0
    if (!Array.isArray(column) || at >= column.length) return null
    values[words[field] as string] = column[at]
    taken.set(field, at + 1)
  }
  return values
}

export function readWireBatch(body: unknown): SyncOp[] | null {
  // A body that also holds `ops` is taken as the `{ ops }` form by the schema.
  if (!isObject(body) || body.v !== 2 || 'ops' in body) return null
  const dict = dictChecks(body.dict)
  const c = columnsOf(body)
  const { shapes, columns } = body
  if (!dict || !c || !Array.isArray(shapes) || !isObject(columns)) return null
  const { words, uuids } = dict
  for (const key in columns) if (!Array.isArray(columns[key])) return null
  if (!shapes.every(isShape)) return null
  const taken = new Map<number, number>()
  const ops: SyncOp[] = []
  for (let i = 0; i < c.opId.length; i++) {
    const [opId, recordId, version, kind, path] = [
      c.opId[i],
      c.recordId[i],
      c.formVersion[i],
      c.kind[i],
      c.fieldPath[i],
    ]
    const [shape, clock, node, base, seen, resolves, user] = [
      c.shape[i],
      c.hlc[i],
      c.node[i],
      c.baseHlc[i],
      c.seen[i],
      c.resolves[i],
      c.userId[i],
    ]
    if (typeof opId !== 'string' || !uuid.test(opId)) return null
    if (typeof recordId !== 'string' || !uuid.test(recordId)) return null
    if (!isIndex(version, words.length) || !uuids[version]) return null
    if (!isIndex(kind, opKinds.length) || !isIndex(path, words.length)) return null
    if (!isIndex(node, words.length) || !isIndex(user, words.length)) return null
    const userId = words[user] as string
    if (userId.length < 1 || userId.length > 200) return null
    const fullHlc = typeof clock === 'string' ? `${clock}-${words[node]}` : ''
    if (!hlc.test(fullHlc)) return null
    if (base !== null && (typeof base !== 'string' || !hlc.test(base))) return null
    if (!isSeen(seen) || !isResolves(resolves)) return null
    let newValue = c.newValue[i]
    if (shape !== -1) {
      if (!isIndex(shape, shapes.length) || !isObject(newValue)) return null
      const values = valuesOf(shapes[shape], words, columns, taken)
      if (!values) return null
      newValue = { ...newValue, values }
    }
    ops.push({
      opId,
      recordId,
      formVersionId: words[version] as string,
      kind: opKinds[kind] as SyncOp['kind'],
      fieldPath: words[path] as string,
      oldValue: c.oldValue[i],
      newValue,
      hlc: fullHlc,
      baseHlc: base,
      seen,
      resolves,
      userId,
    })
  }
  return ops
}
