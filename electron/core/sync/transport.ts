import { brotliCompress, constants } from 'node:zlib'
import type { z } from 'zod'
import { AppFailure, appErrorSchema } from '../../../shared/errors'
import type { PushOpsResponse } from '../../../shared/registry-api'
import {
  conflictsResponseSchema,
  pushOpsResponseSchema,
  registryPaths,
} from '../../../shared/registry-api'
import type {
  MarkedChangesPage,
  RelayResponse,
  SyncStateWithEpoch,
} from '../../../shared/sync/epoch'
import {
  markedChangesPageSchema,
  relayPath,
  relayResponseSchema,
  syncStateWithEpochSchema,
} from '../../../shared/sync/epoch'
import type { SyncOp } from '../../../shared/sync/ops'
import { encodeBatch } from '../../../shared/sync/wire'
import { z as zod } from 'zod'

export type Fetch = typeof fetch
export type Registry = { url: string; token: string; fetch?: Fetch; timeoutMs?: number }

const definitionSchema = zod.object({
  id: zod.string(),
  formKey: zod.string(),
  version: zod.string(),
  title: zod.string(),
  xform: zod.string(),
  sha256: zod.string(),
})
export type FormDefinition = z.infer<typeof definitionSchema>
const uploadSchema = zod.object({ stored: zod.boolean(), received: zod.number() })

/**
 * One HTTP call to the registry. A network failure (connection refused, cut, timed out) is
 * `offline`: the data stayed where it was and sync retries. An error answer keeps the registry's
 * code, so the caller can tell "refused" (do not resend as is) from "try later".
 */
async function call<T>(
  registry: Registry,
  schema: z.ZodType<T>,
  path: string,
  init: RequestInit,
  signal?: AbortSignal,
): Promise<T> {
  const timeout = AbortSignal.timeout(registry.timeoutMs ?? 30_000)
  const headers = new Headers(init.headers)
  headers.set('authorization', `Bearer ${registry.token}`)
  headers.set('accept-encoding', 'br, gzip')
  let response: Response
  let text: string
  try {
    response = await (registry.fetch ?? fetch)(`${registry.url}${path}`, {
      ...init,
      headers,
      signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
    })
    text = await response.text()
  } catch (error) {
    if (signal?.aborted) throw new AppFailure('offline', 'Sync was cancelled.', { cancelled: true })
    throw new AppFailure(
      'offline',
      'The registry cannot be reached; everything is kept on this laptop and sync will try again.',
      { cause: String(error) },
    )
  }
  const body: unknown = text ? JSON.parse(text) : null
  if (!response.ok) {
    const parsed = appErrorSchema.safeParse((body as { error?: unknown } | null)?.error)
    if (parsed.success)
      throw new AppFailure(parsed.data.code, parsed.data.message, {
        status: response.status,
        ...(parsed.data.details as object | undefined),
      })
    throw new AppFailure(
      response.status >= 500 ? 'unavailable' : 'internal',
      `The registry answered ${response.status}.`,
      { status: response.status },
    )
  }
  return schema.parse(body)
}

/**
 * A batch in its wire form, compressed off the main thread (libuv's pool): brotli at quality 5,
 * about as fast as gzip, whose large window finds what the value columns of a whole batch share
 * (docs/sync.md, "Wire format").
 */
export function encodePush(ops: readonly SyncOp[]): Promise<Uint8Array<ArrayBuffer>> {
  const text = JSON.stringify(encodeBatch(ops))
  return new Promise((resolve, reject) =>
    brotliCompress(
      text,
      {
        params: {
          [constants.BROTLI_PARAM_QUALITY]: 5,
          [constants.BROTLI_PARAM_SIZE_HINT]: text.length,
        },
      },
      // A copy of some 30 kB, typed as fetch takes it.
      (error, body) => (error ? reject(error) : resolve(Uint8Array.from(body))),
    ),
  )
}

/** Sends a batch `encodePush` made. */
export function sendPush(
  registry: Registry,
  body: Uint8Array<ArrayBuffer>,
  signal?: AbortSignal,
): Promise<PushOpsResponse> {
  return call(
    registry,
    pushOpsResponseSchema,
    registryPaths.deviceOps,
    {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/json', 'content-encoding': 'br' },
    },
    signal,
  )
}

export async function pushBatch(
  registry: Registry,
  ops: readonly SyncOp[],
  signal?: AbortSignal,
): Promise<PushOpsResponse> {
  return sendPush(registry, await encodePush(ops), signal)
}

export function readChangesPage(
  registry: Registry,
  after: string,
  limit: number,
  signal?: AbortSignal,
): Promise<MarkedChangesPage> {
  return call(
    registry,
    markedChangesPageSchema,
    `${registryPaths.deviceChanges}?after=${encodeURIComponent(after)}&limit=${limit}`,
    { method: 'GET' },
    signal,
  )
}

/** The registry's state for this device, with its epoch and the mark of the row at `cursor`. */
export function readSyncState(
  registry: Registry,
  cursor: string,
  signal?: AbortSignal,
): Promise<SyncStateWithEpoch> {
  return call(
    registry,
    syncStateWithEpochSchema,
    `${registryPaths.deviceSyncState}?cursor=${encodeURIComponent(cursor)}`,
    { method: 'GET' },
    signal,
  )
}

/** Hands HQ ops back to a registry restored from an older backup. */
export function relayOps(
  registry: Registry,
  ops: readonly SyncOp[],
  signal?: AbortSignal,
): Promise<RelayResponse> {
  return call(
    registry,
    relayResponseSchema,
    relayPath,
    {
      method: 'POST',
      body: JSON.stringify({ ops }),
      headers: { 'content-type': 'application/json' },
    },
    signal,
  )
}

export function readFormDefinition(
  registry: Registry,
  versionId: string,
  signal?: AbortSignal,
): Promise<FormDefinition> {
  return call(
    registry,
    definitionSchema,
    `${registryPaths.deviceForms}/${versionId}/definition`,
    { method: 'GET' },
    signal,
  )
}

export function readConflicts(
  registry: Registry,
  signal?: AbortSignal,
): Promise<z.infer<typeof conflictsResponseSchema>> {
  return call(
    registry,
    conflictsResponseSchema,
    `${registryPaths.deviceConflicts}?open=0`,
    { method: 'GET' },
    signal,
  )
}

export function attachmentStatus(
  registry: Registry,
  sha256: string,
  signal?: AbortSignal,
): Promise<{ stored: boolean; received: number }> {
  return call(
    registry,
    uploadSchema,
    `${registryPaths.deviceAttachments}/${sha256}`,
    { method: 'GET' },
    signal,
  )
}

export function putChunk(
  registry: Registry,
  sha256: string,
  offset: number,
  bytes: Uint8Array,
  final: boolean,
  signal?: AbortSignal,
): Promise<{ stored: boolean; received: number }> {
  return call(
    registry,
    uploadSchema,
    `${registryPaths.deviceAttachments}/${sha256}?offset=${offset}&final=${final ? 1 : 0}`,
    {
      method: 'PUT',
      body: new Uint8Array(bytes),
      headers: { 'content-type': 'application/octet-stream' },
    },
    signal,
  )
}

/** A cheap probe: is the registry there at all? Used to notice the network coming back. */
export async function probe(
  url: string,
  fetcher: Fetch = fetch,
  signal?: AbortSignal,
): Promise<boolean> {
  try {
    const response = await fetcher(`${url}${registryPaths.health}`, {
      signal: signal
        ? AbortSignal.any([signal, AbortSignal.timeout(5000)])
        : AbortSignal.timeout(5000),
    })
    await response.arrayBuffer()
    return response.ok
  } catch {
    return false // unreachable is the answer, not an error
  }
}

const registersSchema = zod.object({
  registers: zod.array(zod.object({ id: zod.string(), name: zod.string(), title: zod.string() })),
})
const entitiesSchema = zod.object({
  entities: zod.array(
    zod.object({
      entityId: zod.string(),
      label: zod.string(),
      values: zod.record(zod.string(), zod.unknown()).nullable(),
      deleted: zod.boolean(),
      revision: zod.number().int().optional(),
    }),
  ),
})
export type RegisterEntity = z.infer<typeof entitiesSchema>['entities'][number]

/** The registers HQ published to this device's office. */
export async function readRegisters(registry: Registry, signal?: AbortSignal) {
  return (
    await call(registry, registersSchema, registryPaths.deviceRegisters, { method: 'GET' }, signal)
  ).registers
}

/** Every entry of one published register (deleted ones flagged). */
export async function readRegisterEntities(
  registry: Registry,
  registerId: string,
  signal?: AbortSignal,
) {
  return (
    await call(
      registry,
      entitiesSchema,
      `${registryPaths.deviceRegisters}/${registerId}/entities`,
      { method: 'GET' },
      signal,
    )
  ).entities
}
