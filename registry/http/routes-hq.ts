import type { FastifyInstance, FastifyRequest } from 'fastify'
import { z } from 'zod'
import { AppFailure } from '../../shared/errors'
import {
  changesQuerySchema,
  correctionRequestSchema,
  recoveryRequestSchema,
  registryPaths,
  reviewRequestSchema,
} from '../../shared/registry-api'
import { createEnrollmentCode, listDevices, revokeDevice } from '../domain/devices'
import { listEntityConflicts, resolveEntityConflict } from '../domain/entities'
import { readChanges } from '../domain/feed'
import { listFormVersions, publishFormVersion, uploadForm } from '../domain/forms'
import { createOffice, listOffices } from '../domain/offices'
import { listRecords, readRecord } from '../domain/records'
import {
  editEntity,
  importRegisterCsv,
  listRegisters,
  publishRegister,
  readEntities,
} from '../domain/registers'
import { recoverDataKey } from '../domain/recovery'
import { correctRecord, reviewRecord } from '../domain/reviews'
import { createUser } from '../domain/users'
import type { Deps } from './context'
import { hqActor } from './context'

const idParam = z.object({ id: z.string().max(100) })
const officesBody = z.object({ offices: z.array(z.string().max(100)).min(1).max(1000) })
const name = z.string().trim().min(1).max(200)

function fileBody(request: FastifyRequest): Buffer {
  if (!Buffer.isBuffer(request.body)) {
    throw new AppFailure(
      'validation',
      'Send the file itself as the request body (content-type application/octet-stream or text/csv).',
    )
  }
  return request.body
}

/** HQ's API; each domain call checks the caller's role, so a viewer can read and change nothing. */
export function hqRoutes(app: FastifyInstance, deps: Deps): void {
  const { db } = deps
  app.get('/v1/hq/offices', async (request) => ({
    offices: await listOffices(db, await hqActor(deps, request)),
  }))
  app.post('/v1/hq/offices', async (request) => {
    const actor = await hqActor(deps, request)
    return createOffice(db, actor, z.object({ code: name, name }).parse(request.body))
  })
  app.post('/v1/hq/users', async (request) => {
    const actor = await hqActor(deps, request)
    const body = z
      .object({ email: name, name, role: name, password: z.string().max(1024) })
      .parse(request.body)
    return createUser(db, actor, body)
  })
  app.post('/v1/hq/enrollment-codes', async (request) => {
    const actor = await hqActor(deps, request)
    const body = z
      .object({ office: name, validHours: z.number().positive().optional() })
      .parse(request.body)
    return createEnrollmentCode(db, actor, body)
  })
  app.post(registryPaths.hqRecovery, async (request) => {
    const actor = await hqActor(deps, request)
    return recoverDataKey(db, actor, recoveryRequestSchema.parse(request.body))
  })
  app.get('/v1/hq/devices', async (request) => {
    const actor = await hqActor(deps, request)
    const query = z.object({ office: name.optional() }).parse(request.query)
    return { devices: await listDevices(db, actor, query.office) }
  })
  app.post('/v1/hq/devices/:id/revoke', async (request, reply) => {
    await revokeDevice(db, await hqActor(deps, request), idParam.parse(request.params).id)
    return reply.status(204).send()
  })
  app.get('/v1/hq/forms', async (request) => ({
    forms: await listFormVersions(db, await hqActor(deps, request)),
  }))
  app.post('/v1/hq/forms', async (request) => {
    const actor = await hqActor(deps, request)
    const query = z.object({ fileName: name }).parse(request.query)
    return uploadForm(db, actor, { bytes: fileBody(request), fileName: query.fileName })
  })
  app.post('/v1/hq/forms/:id/publish', async (request) => {
    const actor = await hqActor(deps, request)
    const body = officesBody.parse(request.body)
    return {
      published: await publishFormVersion(
        db,
        actor,
        idParam.parse(request.params).id,
        body.offices,
      ),
    }
  })
  registerRoutes(app, deps)
  recordRoutes(app, deps)
}

function registerRoutes(app: FastifyInstance, deps: Deps): void {
  const { db } = deps
  app.get('/v1/hq/registers', async (request) => ({
    registers: await listRegisters(db, await hqActor(deps, request)),
  }))
  app.put('/v1/hq/registers/:id/csv', async (request) => {
    const actor = await hqActor(deps, request)
    const query = z.object({ title: name.optional() }).parse(request.query)
    const csv = fileBody(request).toString('utf8')
    return importRegisterCsv(db, actor, { name: idParam.parse(request.params).id, csv, ...query })
  })
  app.get('/v1/hq/registers/:id/entities', async (request) => {
    const actor = await hqActor(deps, request)
    return { entities: await readEntities(db, actor, idParam.parse(request.params).id) }
  })
  app.put('/v1/hq/registers/:id/entities/:entityId', async (request, reply) => {
    const actor = await hqActor(deps, request)
    const params = z
      .object({ id: z.string().max(100), entityId: z.string().min(1).max(200) })
      .parse(request.params)
    const body = z
      .object({
        label: name,
        values: z.record(z.string(), z.unknown()),
        deleted: z.boolean().optional(),
      })
      .parse(request.body)
    await editEntity(db, actor, params.id, { entityId: params.entityId, ...body })
    return reply.status(204).send()
  })
  app.post('/v1/hq/registers/:id/publish', async (request) => {
    const actor = await hqActor(deps, request)
    const body = officesBody.parse(request.body)
    return {
      published: await publishRegister(db, actor, idParam.parse(request.params).id, body.offices),
    }
  })
  app.get('/v1/hq/entity-conflicts', async (request) => ({
    conflicts: await listEntityConflicts(db, await hqActor(deps, request)),
  }))
  app.post('/v1/hq/entity-conflicts/:id/resolve', async (request, reply) => {
    const actor = await hqActor(deps, request)
    const body = z.object({ value: z.string().max(10_000) }).parse(request.body)
    await resolveEntityConflict(db, actor, idParam.parse(request.params).id, body.value)
    return reply.status(204).send()
  })
}

function recordRoutes(app: FastifyInstance, deps: Deps): void {
  const { db } = deps
  app.get('/v1/hq/records', async (request) => {
    const actor = await hqActor(deps, request)
    const query = z
      .object({
        office: z.uuid().optional(),
        after: z.uuid().optional(),
        limit: z.coerce.number().int().min(1).max(1000).optional(),
      })
      .parse(request.query)
    return {
      records: await listRecords(db, actor, {
        officeId: query.office,
        afterId: query.after,
        limit: query.limit,
      }),
    }
  })
  app.get('/v1/hq/records/:id', async (request) =>
    readRecord(db, await hqActor(deps, request), idParam.parse(request.params).id),
  )
  app.post('/v1/hq/records/:id/review', async (request, reply) => {
    const actor = await hqActor(deps, request)
    await reviewRecord(
      db,
      actor,
      idParam.parse(request.params).id,
      reviewRequestSchema.parse(request.body),
    )
    return reply.status(204).send()
  })
  app.post('/v1/hq/records/:id/corrections', async (request) => {
    const actor = await hqActor(deps, request)
    const body = correctionRequestSchema.parse(request.body)
    return { opIds: await correctRecord(db, actor, idParam.parse(request.params).id, body) }
  })
  app.get(registryPaths.hqChanges, async (request) => {
    await hqActor(deps, request)
    const query = changesQuerySchema.parse(request.query)
    return readChanges(db, { officeId: null }, query.after, query.limit)
  })
}
