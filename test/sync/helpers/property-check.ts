import { clockOf, conflictId } from '../../../shared/sync/merge'
import type { FeedOp } from '../../../shared/sync/ops'
import { deletedKey, opWrites, statusKey } from '../../../shared/sync/ops'
import type { Digest } from './digest'
import { laptopDigest } from './digest'
import type { Knowledge, Replica } from './property'

const same = (a: unknown, b: unknown): boolean =>
  JSON.stringify(a ?? null) === JSON.stringify(b ?? null)

/**
 * No silent loss, judged from what each author really held (not from the clocks the ops carry):
 * an op whose value lost to a winner whose author had not seen it must be in a conflict, unless
 * the winner's author had seen an op with that same value.
 */
function checkSameKey(ops: FeedOp[], knowledge: Knowledge, conflictOps: Set<string>): string[] {
  const problems: string[] = []
  const byKey = new Map<string, { op: FeedOp; value: unknown }[]>()
  for (const op of ops)
    for (const [key, value] of opWrites(op))
      byKey.set(`${op.recordId} ${key}`, [
        ...(byKey.get(`${op.recordId} ${key}`) ?? []),
        { op, value },
      ])
  for (const [key, writes] of byKey) {
    const winner = writes.reduce((best, w) => (clockOf(w.op) > clockOf(best.op) ? w : best))
    const seen = knowledge.get(winner.op.opId) ?? new Set<string>()
    for (const w of writes) {
      if (
        w === winner ||
        same(w.value, winner.value) ||
        seen.has(w.op.opId) ||
        conflictOps.has(w.op.opId)
      )
        continue
      if (writes.some((y) => seen.has(y.op.opId) && same(y.value, w.value))) continue
      problems.push(
        `${key}: op ${w.op.opId} (${JSON.stringify(w.value)}) lost to ${winner.op.opId} silently`,
      )
    }
  }
  return problems
}

/** A delete and an edit of another key that neither author had seen must be a conflict. */
function checkDeletes(ops: FeedOp[], knowledge: Knowledge, conflicts: Set<string>): string[] {
  const problems: string[] = []
  const byId = new Map(ops.map((op) => [op.opId, op]))
  const saw = (author: string, pred: (op: FeedOp) => boolean): boolean =>
    [...(knowledge.get(author) ?? [])].some((id) => {
      const op = byId.get(id)
      return op !== undefined && pred(op)
    })
  for (const d of ops.filter((op) => op.kind === 'delete')) {
    for (const e of ops) {
      if (
        e.recordId !== d.recordId ||
        e.kind === 'create' ||
        opWrites(e).some(([k]) => k === deletedKey)
      )
        continue
      if (knowledge.get(e.opId)?.has(d.opId) || knowledge.get(d.opId)?.has(e.opId)) continue
      const key = e.kind === 'status' ? statusKey : e.fieldPath
      // Seen "in spirit": the edit's author had a later delete, or a later restore that is itself
      // in conflict with this delete (the person resolving that one decides the record's fate).
      const laterDeleteWrite = (g: FeedOp): boolean =>
        g.hlc >= d.hlc &&
        (g.kind === 'delete' || (g.kind === 'restore' && conflicts.has(conflictId(g.opId, d.opId))))
      if (saw(e.opId, laterDeleteWrite)) continue
      if (saw(d.opId, (f) => f.hlc >= e.hlc && opWrites(f).some(([k]) => k === key))) continue
      if (!conflicts.has(conflictId(d.opId, e.opId)))
        problems.push(`delete ${d.opId} vs edit ${e.opId} of ${key}: no conflict`)
    }
  }
  return problems
}

/** The part of a digest about some records (a session's replicas carry earlier interleavings too). */
function only(digest: Digest, records: readonly string[], recordOps: readonly string[]): Digest {
  const ops = new Set(recordOps)
  return {
    records: Object.fromEntries(
      Object.entries(digest.records).filter(([id]) => records.includes(id)),
    ),
    ops: digest.ops.filter((id) => ops.has(id)),
    conflicts: Object.fromEntries(
      Object.entries(digest.conflicts).filter(([id]) =>
        id.split(':').every((part) => ops.has(part)),
      ),
    ),
  }
}

/** What the registry holds about an interleaving's records, however it stores it. */
export type RegistrySnapshot = {
  digest: Digest
  ops: Map<string, FeedOp>
  conflicts: Map<string, unknown>
}

export function checkInterleaving(
  registry: RegistrySnapshot,
  replicas: Replica[],
  records: string[],
  knowledge: Knowledge,
  made: string[],
): string[] {
  const problems: string[] = []
  const registryOps = [...registry.ops.values()]
    .filter((op) => records.includes(op.recordId))
    .map((op) => op.opId)
  const expected = only(registry.digest, records, registryOps)
  for (const replica of replicas) {
    const placeholders = records.map(() => '?').join(', ')
    const localOps = (
      replica.store.sqlite
        .prepare(`SELECT id FROM record_ops WHERE record_id IN (${placeholders})`)
        .all(...records) as { id: string }[]
    ).map((r) => r.id)
    const local = only(laptopDigest(replica.store), records, localOps)
    if (JSON.stringify(local) !== JSON.stringify(expected))
      problems.push(
        `${replica.name} differs from the registry:\n${JSON.stringify(local)}\n${JSON.stringify(expected)}`,
      )
  }
  for (const id of made)
    if (!registry.ops.has(id)) problems.push(`op ${id} is missing from the history`)
  const ops = [...registry.ops.values()].filter((op) => records.includes(op.recordId))
  const conflictOps = new Set<string>()
  for (const id of registry.conflicts.keys())
    for (const part of id.split(':')) conflictOps.add(part)
  problems.push(...checkSameKey(ops, knowledge, conflictOps))
  problems.push(...checkDeletes(ops, knowledge, new Set(registry.conflicts.keys())))
  return problems
}
