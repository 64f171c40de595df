import { resolve } from 'node:path'
import type { DatabaseTarget } from './db/database'

export type RegistryConfig = {
  database: DatabaseTarget
  host: string
  port: number
  logLevel: string
  /** Requests per device (or per address, before sign-in) in one rate-limit window. */
  rateLimit: number
  rateWindowSeconds: number
  /** Largest JSON body, and largest uploaded form or CSV file, in bytes. */
  jsonBodyLimit: number
  fileBodyLimit: number
  poolSize: number
  /** Behind a load balancer, take the client address from X-Forwarded-For. */
  trustProxy: boolean
}

function intFrom(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const text = env[name]
  if (text === undefined || text === '') return fallback
  const value = Number(text)
  if (!Number.isInteger(value) || value < 0)
    throw new Error(`${name} must be a whole number; it is "${text}".`)
  return value
}

/** Reads the environment once at start-up; nothing else in the registry reads process.env. */
export function readConfig(env: NodeJS.ProcessEnv = process.env): RegistryConfig {
  const databaseUrl = env.DATABASE_URL
  return {
    database: databaseUrl
      ? { databaseUrl }
      : { dataDir: resolve(env.OUTPOST_REGISTRY_DATA ?? 'registry-data') },
    host: env.HOST ?? '127.0.0.1',
    port: intFrom(env, 'PORT', 8787),
    logLevel: env.LOG_LEVEL ?? 'info',
    rateLimit: intFrom(env, 'OUTPOST_RATE_LIMIT', 600),
    rateWindowSeconds: intFrom(env, 'OUTPOST_RATE_WINDOW_SECONDS', 60),
    jsonBodyLimit: intFrom(env, 'OUTPOST_JSON_BODY_LIMIT', 4 * 1024 * 1024),
    fileBodyLimit: intFrom(env, 'OUTPOST_FILE_BODY_LIMIT', 20 * 1024 * 1024),
    poolSize: intFrom(env, 'OUTPOST_DB_POOL', 10),
    trustProxy: env.OUTPOST_TRUST_PROXY === '1',
  }
}
