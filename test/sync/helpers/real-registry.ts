import { brotliDecompressSync, gunzipSync } from 'node:zlib'
import type { Fetch } from '../../../electron/core/sync/transport'
import { createEnrollmentCode } from '../../../registry/domain/devices'
import type { FeedOp } from '../../../shared/sync/ops'
import type { TestRegistry } from '../../registry/helpers/harness'
import { enrollBody, makeOffice, system } from '../../registry/helpers/harness'
import { publishForm } from '../../registry/helpers/world'
import { registryDigest } from './digest'
import type { PropertyRegistry } from './property'

/**
 * The real registry (routes, merge, feed, PGlite or PostgreSQL) for the property test, reached
 * through Fastify's inject instead of a socket so that an interleaving costs milliseconds. Each
 * session gets its own office and form. Faults are the fake's: cut, lost answer, doubled request.
 */
export async function realPropertyRegistry(registry: TestRegistry): Promise<PropertyRegistry> {
  const office = await makeOffice(registry.db)
  const formVersionId = await publishForm(registry, [office.id])
  const send = async (url: URL, init: RequestInit | undefined): Promise<Response> => {
    const headers = Object.fromEntries(new Headers(init?.headers).entries())
    const reply = await registry.app.inject({
      method: (init?.method ?? 'GET') as 'GET',
      url: url.pathname + url.search,
      headers,
      payload: init?.body instanceof Uint8Array ? Buffer.from(init.body) : undefined,
    })
    const raw = reply.rawPayload
    const encoding = reply.headers['content-encoding']
    const body =
      encoding === 'gzip' ? gunzipSync(raw) : encoding === 'br' ? brotliDecompressSync(raw) : raw
    return new Response(new Uint8Array(body), {
      status: reply.statusCode,
      headers: { 'content-type': 'application/json' },
    })
  }
  const target: PropertyRegistry = {
    next: 'ok',
    formVersionId,
    fetch: (async (input, init) => {
      const url = new URL(input instanceof Request ? input.url : String(input))
      const mode = target.next
      target.next = 'ok'
      if (mode === 'cut') throw new TypeError('fetch failed: connection cut')
      let answer = await send(url, init)
      if (mode === 'dup') answer = await send(url, init)
      if (mode === 'drop') throw new TypeError('fetch failed: answer lost')
      return answer
    }) satisfies Fetch,
    enroll: async () => {
      const { code } = await createEnrollmentCode(registry.db, system, { office: office.id })
      const reply = await registry.app.inject({
        method: 'POST',
        url: '/v1/enroll',
        payload: enrollBody(code),
      })
      return reply.json<{ token: string }>().token
    },
    snapshot: async (records) => {
      const rows = await registry.db
        .selectFrom('record_ops')
        .selectAll()
        .where('record_id', 'in', [...records])
        .execute()
      const ops = new Map<string, FeedOp>(
        rows.map((row) => [
          row.op_id,
          {
            opId: row.op_id,
            recordId: row.record_id,
            formVersionId,
            kind: row.kind as FeedOp['kind'],
            fieldPath: row.field_path,
            oldValue: row.old_value,
            newValue: row.new_value,
            hlc: row.hlc,
            baseHlc: row.base_hlc,
            seen: (row.seen ?? {}) as Record<string, string>,
            resolves: (row.resolves ?? []) as string[],
            userId: row.user_id,
            deviceId: row.node,
          },
        ]),
      )
      const conflicts = await registry.db
        .selectFrom('conflicts')
        .select('id')
        .where('record_id', 'in', [...records])
        .execute()
      return {
        digest: await registryDigest(registry, office.id),
        ops,
        conflicts: new Map(conflicts.map((c) => [c.id, c])),
      }
    },
    close: () => Promise.resolve(),
  }
  return target
}
