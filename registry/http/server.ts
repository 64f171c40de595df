import Fastify from 'fastify'
import type { FastifyInstance } from 'fastify'
import type { Logger } from 'pino'
import type { Deps } from './context'
import { sendError } from './errors'
import { deviceRoutes } from './routes-device'
import { hqRoutes } from './routes-hq'
import { publicRoutes } from './routes-public'
import { syncRoutes } from './routes-sync'
import { gunzipRequests } from './gzip'

/** Builds the HTTP app; listening and shutdown belong to the caller (main.ts, tests, bench). */
export function buildServer(deps: Deps, logger: Logger): FastifyInstance {
  const app = Fastify({
    loggerInstance: logger,
    bodyLimit: deps.config.jsonBodyLimit,
    trustProxy: deps.config.trustProxy,
    return503OnClosing: true,
    forceCloseConnections: 'idle',
    requestTimeout: 60_000,
  }) as unknown as FastifyInstance
  for (const type of ['application/octet-stream', 'text/csv']) {
    app.addContentTypeParser(
      type,
      { parseAs: 'buffer', bodyLimit: deps.config.fileBodyLimit },
      (_request, body, done) => {
        done(null, body)
      },
    )
  }
  gunzipRequests(app)
  app.setErrorHandler((error, request, reply) => sendError(request, reply, error))
  app.setNotFoundHandler((request, reply) => {
    void reply.status(404).send({
      error: {
        code: 'not_found',
        message: `There is no ${request.method} ${request.url.split('?')[0]} here.`,
      },
    })
  })
  publicRoutes(app, deps)
  deviceRoutes(app, deps)
  hqRoutes(app, deps)
  syncRoutes(app, deps)
  return app
}
