import type { FastifyInstance } from 'fastify'
import { z } from 'zod'
import { parsePushOps, registryPaths } from '../../shared/registry-api'
import { listOfficeForms, readOfficeFormFile } from '../domain/forms'
import { pushOps, readRecord } from '../domain/records'
import { listRegisters, readEntities } from '../domain/registers'
import type { Deps } from './context'
import { deviceActor } from './context'

const idParam = z.object({ id: z.string().max(64) })

/** What an enrolled device may do; every route scopes to the device's own office. */
export function deviceRoutes(app: FastifyInstance, deps: Deps): void {
  app.get(registryPaths.deviceForms, async (request) => {
    return { forms: await listOfficeForms(deps.db, await deviceActor(deps, request)) }
  })

  app.get(`${registryPaths.deviceForms}/:id/file`, async (request, reply) => {
    const device = await deviceActor(deps, request)
    const file = await readOfficeFormFile(deps.db, device, idParam.parse(request.params).id)
    return reply
      .header('content-type', 'application/octet-stream')
      .header(
        'content-disposition',
        `attachment; filename="${file.fileName.replace(/[^\w.-]/g, '_')}"`,
      )
      .send(Buffer.from(file.bytes))
  })

  app.get(registryPaths.deviceRegisters, async (request) => {
    return { registers: await listRegisters(deps.db, await deviceActor(deps, request)) }
  })

  app.get(`${registryPaths.deviceRegisters}/:id/entities`, async (request) => {
    const device = await deviceActor(deps, request)
    return { entities: await readEntities(deps.db, device, idParam.parse(request.params).id) }
  })

  app.post(registryPaths.deviceOps, async (request) => {
    const device = await deviceActor(deps, request)
    return pushOps(deps.db, device, parsePushOps(request.body))
  })

  app.get('/v1/device/records/:id', async (request) => {
    const device = await deviceActor(deps, request)
    return readRecord(deps.db, device, idParam.parse(request.params).id)
  })
}
