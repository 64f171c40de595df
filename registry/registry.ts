import type { FastifyInstance } from 'fastify'
import pino from 'pino'
import type { Logger } from 'pino'
import type { RegistryConfig } from './config'
import type { OpenedDatabase } from './db/database'
import { openDatabase } from './db/database'
import { migrate } from './db/migrate'
import { buildServer } from './http/server'

export type RunningRegistry = {
  app: FastifyInstance
  database: OpenedDatabase
  url: string
  /** Stops taking requests, lets those in flight finish, then closes the database. */
  close: () => Promise<void>
}

export function createLogger(level: string): Logger {
  return pino({
    level,
    base: { service: 'outpost-registry' },
    redact: ['req.headers.authorization'],
  })
}

/** Opens the database, migrates it, and listens. Used by main.ts, the tests and the benchmark. */
export async function startRegistry(
  config: RegistryConfig,
  logger = createLogger(config.logLevel),
): Promise<RunningRegistry> {
  const database = await openDatabase(config.database, config.poolSize)
  try {
    const applied = await migrate(database.db)
    logger.info({ database: database.kind, applied }, 'database ready')
    const app = buildServer({ db: database.db, config }, logger)
    const url = await app.listen({ host: config.host, port: config.port })
    const close = async (): Promise<void> => {
      // A keep-alive connection whose request finishes during close turns idle only afterwards;
      // close such connections as they turn idle, or the server would wait for the client.
      const sweep = setInterval(() => app.server.closeIdleConnections(), 50)
      try {
        await app.close()
      } finally {
        clearInterval(sweep)
      }
      await database.close()
    }
    return { app, database, url, close }
  } catch (error) {
    await database.close()
    throw error
  }
}
