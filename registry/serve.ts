import { readConfig } from './config'
import { createLogger, startRegistry } from './registry'

/**
 * `npm run registry` serves; `npm run registry -- <command>` runs an admin command (see cli.ts).
 * SIGTERM and SIGINT stop it gracefully: no new requests, in-flight ones finish, then exit.
 */
export async function serve(): Promise<void> {
  const config = readConfig()
  const logger = createLogger(config.logLevel)
  const registry = await startRegistry(config, logger)
  let stopping = false
  const stop = (signal: string): void => {
    if (stopping) return
    stopping = true
    logger.info({ signal }, 'shutting down')
    // A request stuck past this must not keep the process from exiting.
    setTimeout(() => process.exit(1), 15_000).unref()
    registry.close().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed')
        process.exit(1)
      },
    )
  }
  process.on('SIGTERM', () => stop('SIGTERM'))
  process.on('SIGINT', () => stop('SIGINT'))
}
