import { brotliDecompressSync, gunzipSync } from 'node:zlib'
import { uuidv7 } from 'uuidv7'
import { foldOps } from '../../../registry/domain/merge-ops'
import type { Fetch } from '../../../electron/core/sync/transport'
import { conflictsWith } from '../../../shared/sync/merge'
import type { FeedOp } from '../../../shared/sync/ops'
import { pushOpsRequestSchema } from '../../../shared/registry-api'
import type { Digest } from './digest'
import type { RegistrySnapshot } from './property-check'
import type { PropertyRegistry } from './property'

export type FaultMode = 'ok' | 'cut' | 'drop' | 'dup'
type Row = {
  values: unknown
  field_clocks: unknown
  status?: string
  instance_name?: string | null
  deleted?: boolean
}

/**
 * The registry's merge in memory, for the property test: the same shared rules (conflictsWith)
 * and the registry's own fold (foldOps), behind a fetch the real sync client calls. Requests can
 * be cut before the registry sees them, lost after it committed, or delivered twice.
 */
export class FakeRegistry implements PropertyRegistry {
  readonly ops = new Map<string, FeedOp>()
  readonly records = new Map<string, Row>()
  readonly conflicts = new Map<string, { fieldPath: string; resolved: boolean }>()
  readonly feed: {
    cursor: string
    kind: string
    entityId: string
    officeId: string
    data: unknown
    createdAt: string
  }[] = []
  private readonly deviceOps = new Map<string, number>()
  next: FaultMode = 'ok'

  readonly form = {
    id: uuidv7(),
    formKey: `form-${uuidv7()}`,
    version: '1',
    title: 'Property',
    xform: '<h:html/>',
    sha256: 'x',
  }
  readonly formVersionId = this.form.id
  readonly officeId = '00000000-0000-7000-8000-000000000001'

  constructor() {
    this.append('form.published', this.form.id, {})
  }

  enroll(deviceId: string): Promise<string> {
    return Promise.resolve(deviceId) // the token is the device id
  }

  close(): Promise<void> {
    return Promise.resolve()
  }

  private append(kind: string, entityId: string, data: unknown): void {
    this.feed.push({
      cursor: `1:${this.feed.length + 1}`,
      kind,
      entityId,
      officeId: this.officeId,
      data,
      createdAt: new Date(0).toISOString(),
    })
  }

  private push(device: string, ops: FeedOp[]): { accepted: number; duplicates: number } {
    let accepted = 0
    for (const op of ops) {
      if (this.ops.has(op.opId)) continue
      const history = [...this.ops.values()].filter((o) => o.recordId === op.recordId)
      this.ops.set(op.opId, op)
      for (const c of conflictsWith(op, [...history, op]))
        if (!this.conflicts.has(c.id))
          this.conflicts.set(c.id, { fieldPath: c.fieldPath, resolved: false })
      for (const id of op.resolves) {
        const conflict = this.conflicts.get(id)
        if (conflict) conflict.resolved = true
      }
      const row = this.records.get(op.recordId) ?? { values: {}, field_clocks: {} }
      const next = foldOps({ id: op.recordId, office_id: this.officeId, ...row }, [op])
      this.records.set(op.recordId, {
        ...row,
        ...next.columns,
        values: next.values,
        field_clocks: next.clocks,
      })
      this.append('record.op', op.recordId, op)
      accepted++
    }
    this.deviceOps.set(device, (this.deviceOps.get(device) ?? 0) + accepted)
    return { accepted, duplicates: ops.length - accepted }
  }

  private handle(
    device: string,
    method: string,
    url: URL,
    body: Uint8Array | null,
    encoding: string | null,
  ): unknown {
    if (method === 'POST' && url.pathname === '/v1/device/ops') {
      const bytes = body ?? new Uint8Array()
      const text = (encoding === 'br' ? brotliDecompressSync(bytes) : gunzipSync(bytes)).toString()
      const parsed = pushOpsRequestSchema.parse(JSON.parse(text))
      return this.push(
        device,
        parsed.ops.map((op) => ({ ...op, deviceId: device })),
      )
    }
    if (url.pathname === '/v1/device/changes') {
      const after = url.searchParams.get('after') ?? ''
      const limit = Number(url.searchParams.get('limit') ?? '100')
      const from = after === '' ? 0 : Number(after.split(':')[1])
      const changes = this.feed.slice(from, from + limit)
      return {
        changes,
        nextCursor: changes.at(-1)?.cursor ?? after,
        hasMore: from + limit < this.feed.length,
      }
    }
    if (url.pathname === '/v1/device/sync-state')
      return {
        deviceOps: this.deviceOps.get(device) ?? 0,
        feedHead: this.feed.at(-1)?.cursor ?? '',
      }
    if (url.pathname.endsWith('/definition')) return this.form
    throw new Error(`fake registry: no route ${method} ${url.pathname}`)
  }

  /** A fetch for one device: its token is its id. */
  readonly fetch: Fetch = async (input, init) => {
    const url = new URL(input instanceof Request ? input.url : String(input))
    const headers = new Headers(init?.headers)
    const device = (headers.get('authorization') ?? '').replace('Bearer ', '')
    const encoding = headers.get('content-encoding')
    const body = init?.body instanceof Uint8Array ? init.body : null
    const mode = this.next
    this.next = 'ok'
    if (mode === 'cut') throw new TypeError('fetch failed: connection cut')
    let answer = this.handle(device, init?.method ?? 'GET', url, body, encoding)
    if (mode === 'dup') answer = this.handle(device, init?.method ?? 'GET', url, body, encoding)
    if (mode === 'drop') throw new TypeError('fetch failed: answer lost')
    return Promise.resolve(
      new Response(JSON.stringify(answer), {
        status: 200,
        headers: { 'content-type': 'application/json' },
      }),
    )
  }

  snapshot(recordIds: readonly string[]): Promise<RegistrySnapshot> {
    return Promise.resolve({
      digest: this.digest(recordIds),
      ops: this.ops,
      conflicts: this.conflicts,
    })
  }

  digest(recordIds: readonly string[]): Digest {
    const records: Digest['records'] = {}
    for (const id of [...recordIds].sort()) {
      const row = this.records.get(id)
      if (!row) continue
      const values = Object.fromEntries(
        Object.entries(row.values as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1)),
      )
      records[id] = {
        values,
        status: row.status ?? null,
        deleted: row.deleted ?? false,
        instanceName: row.instance_name ?? null,
      }
    }
    const ops = [...this.ops.values()]
      .filter((op) => recordIds.includes(op.recordId))
      .map((op) => op.opId)
      .sort()
    const conflicts: Digest['conflicts'] = {}
    for (const [id, c] of [...this.conflicts.entries()].sort(([a], [b]) => (a < b ? -1 : 1)))
      conflicts[id] = c
    return { records, ops, conflicts }
  }
}
