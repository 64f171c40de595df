import type { FastifyInstance } from 'fastify'
import { sql } from 'kysely'
import { enrollRequestSchema, loginRequestSchema, registryPaths } from '../../shared/registry-api'
import { isMigrated } from '../db/migrate'
import { enrollDevice } from '../domain/devices'
import { getRegistryIdentity, publicIdentity } from '../domain/identity'
import { login, logout } from '../domain/users'
import type { Deps } from './context'
import { addressLimit, bearerToken } from './context'

export function publicRoutes(app: FastifyInstance, deps: Deps): void {
  // Liveness: the process answers. It does not touch the database, so a database outage does not
  // make an orchestrator restart every instance.
  app.get(registryPaths.health, () => ({ status: 'ok' }))

  app.get(registryPaths.ready, async (_request, reply) => {
    try {
      await sql`SELECT 1`.execute(deps.db)
      if (await isMigrated(deps.db)) return { status: 'ready' }
    } catch (error) {
      app.log.warn({ err: error }, 'readiness check failed')
    }
    return reply.status(503).send({ status: 'not_ready' })
  })

  // The public keys offices seal to and verify with; also in every enrollment response.
  app.get(registryPaths.identity, async () => publicIdentity(await getRegistryIdentity(deps.db)))

  app.post(registryPaths.enroll, async (request) => {
    await addressLimit(deps, request)
    return enrollDevice(deps.db, enrollRequestSchema.parse(request.body))
  })

  app.post(registryPaths.hqLogin, async (request) => {
    await addressLimit(deps, request)
    const body = loginRequestSchema.parse(request.body)
    return login(deps.db, body.email, body.password)
  })

  app.post('/v1/hq/logout', async (request, reply) => {
    await logout(deps.db, bearerToken(request, 'ohs'))
    return reply.status(204).send()
  })
}
