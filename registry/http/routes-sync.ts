import { brotliCompressSync, constants, gzipSync } from 'node:zlib'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { z } from 'zod'
import { AppFailure } from '../../shared/errors'
import {
  changesQuerySchema,
  feedCursor,
  registryPaths,
  resolveRequestSchema,
} from '../../shared/registry-api'
import { attachmentStatus, putAttachmentChunk } from '../domain/attachments'
import { readChanges } from '../domain/feed'
import { relayHqOps, resolveConflict } from '../domain/reviews'
import { feedMarkAt, listConflicts, readFormDefinition, syncState } from '../domain/sync'
import type { MarkedChangesPage } from '../../shared/sync/epoch'
import { relayPath, relayRequestSchema } from '../../shared/sync/epoch'
import type { Deps } from './context'
import { deviceActor, hqActor } from './context'

const idParam = z.object({ id: z.string().max(200) })
const chunkQuery = z.object({
  offset: z.coerce.number().int().min(0),
  final: z.enum(['0', '1']).default('0'),
})
const syncStateQuery = z.object({ cursor: feedCursor.default('') })
const conflictsQuery = z.object({
  office: z.string().max(100).optional(),
  open: z.enum(['0', '1']).default('1'),
})

/**
 * Pages of the feed are JSON that compresses about tenfold; send them compressed to clients that
 * ask: brotli (quality 5, about gzip's speed, a window that spans the whole page) or gzip.
 */
export function sendMaybeGzipped(
  request: FastifyRequest,
  reply: FastifyReply,
  body: unknown,
): FastifyReply {
  const text = JSON.stringify(body)
  const accepted = request.headers['accept-encoding'] ?? ''
  reply.header('content-type', 'application/json')
  if (text.length < 1024) return reply.send(text)
  if (/\bbr\b/.test(accepted))
    return reply.header('content-encoding', 'br').send(
      brotliCompressSync(text, {
        params: {
          [constants.BROTLI_PARAM_QUALITY]: 5,
          [constants.BROTLI_PARAM_SIZE_HINT]: text.length,
        },
      }),
    )
  if (/\bgzip\b/.test(accepted))
    return reply.header('content-encoding', 'gzip').send(gzipSync(text))
  return reply.send(text)
}

/** The routes sync needs beyond push and pull: state, conflicts, form definitions, attachments. */
export function syncRoutes(app: FastifyInstance, deps: Deps): void {
  app.get(registryPaths.deviceSyncState, async (request) => {
    const device = await deviceActor(deps, request)
    const query = syncStateQuery.parse(request.query)
    return syncState(deps.db, device, query.cursor)
  })

  // HQ ops a laptop hands back after a restore: only this registry's own are taken (hq-ops.ts).
  app.post(relayPath, async (request) => {
    const device = await deviceActor(deps, request)
    return relayHqOps(deps.db, device, relayRequestSchema.parse(request.body).ops)
  })

  app.get(registryPaths.deviceConflicts, async (request) => {
    const device = await deviceActor(deps, request)
    const query = conflictsQuery.parse(request.query)
    return { conflicts: await listConflicts(deps.db, device, { open: query.open === '1' }) }
  })

  app.get(`${registryPaths.deviceForms}/:id/definition`, async (request) => {
    const device = await deviceActor(deps, request)
    return readFormDefinition(deps.db, device, idParam.parse(request.params).id)
  })

  app.get(`${registryPaths.deviceAttachments}/:id`, async (request) => {
    const device = await deviceActor(deps, request)
    return attachmentStatus(deps.db, device, idParam.parse(request.params).id)
  })

  app.put(`${registryPaths.deviceAttachments}/:id`, async (request) => {
    const device = await deviceActor(deps, request)
    if (!Buffer.isBuffer(request.body))
      throw new AppFailure('validation', 'Send the chunk as application/octet-stream.')
    const query = chunkQuery.parse(request.query)
    return putAttachmentChunk(deps.db, device, {
      sha256: idParam.parse(request.params).id,
      offset: query.offset,
      bytes: request.body,
      final: query.final === '1',
    })
  })

  app.get(registryPaths.hqConflicts, async (request) => {
    const actor = await hqActor(deps, request)
    const query = conflictsQuery.parse(request.query)
    return {
      conflicts: await listConflicts(deps.db, actor, {
        officeId: query.office,
        open: query.open === '1',
      }),
    }
  })

  app.post(`${registryPaths.hqConflicts}/:id/resolve`, async (request) => {
    const actor = await hqActor(deps, request)
    const body = resolveRequestSchema.parse(request.body)
    return {
      opId: await resolveConflict(deps.db, actor, idParam.parse(request.params).id, body.value),
    }
  })

  // Replaces the plain feed route for devices: same page, gzipped when the client accepts it.
  app.get(registryPaths.deviceChanges, async (request, reply) => {
    const device = await deviceActor(deps, request)
    const query = changesQuerySchema.parse(request.query)
    const page = await readChanges(
      deps.db,
      { officeId: device.officeId, skipOpsOf: device.deviceId },
      query.after,
      query.limit,
    )
    // The mark of the row at the new cursor, kept by the laptop beside it (step 1 of docs/sync.md).
    const body: MarkedChangesPage = { ...page, mark: await feedMarkAt(deps.db, page.nextCursor) }
    return sendMaybeGzipped(request, reply, body)
  })
}
