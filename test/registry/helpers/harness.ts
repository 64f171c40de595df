import { generateKeyPairSync, sign } from 'node:crypto'
import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll } from 'vitest'
import type { EnrollResponse } from '../../../shared/registry-api'
import { enrollmentMessage } from '../../../shared/registry-api'
import type { RegistryConfig } from '../../../registry/config'
import type { RegistryDb } from '../../../registry/db/database'
import type { SystemActor } from '../../../registry/domain/actors'
import { createEnrollmentCode } from '../../../registry/domain/devices'
import { createOffice } from '../../../registry/domain/offices'
import { createUser } from '../../../registry/domain/users'
import { createLogger, startRegistry } from '../../../registry/registry'
import type { TestCluster } from './postgres'
import { startPostgres } from './postgres'

export type Backend = 'pglite' | 'postgres'
export const backends: Backend[] = ['pglite', 'postgres']
export const system: SystemActor = { kind: 'system' }
export const password = 'correct horse battery staple'

export type Reply = { status: number; body: unknown; headers: Headers }
export type TestRegistry = {
  url: string
  app: FastifyInstance
  db: RegistryDb
  call: (
    method: string,
    path: string,
    options?: { token?: string; body?: unknown; raw?: Uint8Array | string; type?: string },
  ) => Promise<Reply>
  close: () => Promise<void>
}

export function testConfig(
  database: RegistryConfig['database'],
  overrides: Partial<RegistryConfig> = {},
): RegistryConfig {
  return {
    database,
    host: '127.0.0.1',
    port: 0,
    logLevel: process.env.REGISTRY_TEST_LOG ?? 'silent',
    rateLimit: 100_000,
    rateWindowSeconds: 60,
    jsonBodyLimit: 1024 * 1024,
    fileBodyLimit: 4 * 1024 * 1024,
    poolSize: 10,
    trustProxy: false,
    ...overrides,
  }
}

export async function startTestRegistry(config: RegistryConfig): Promise<TestRegistry> {
  const registry = await startRegistry(config, createLogger(config.logLevel))
  const call: TestRegistry['call'] = async (method, path, options = {}) => {
    const headers: Record<string, string> = {}
    if (options.token) headers.authorization = `Bearer ${options.token}`
    let body: string | Blob | undefined
    if (options.raw !== undefined) {
      body = typeof options.raw === 'string' ? options.raw : new Blob([new Uint8Array(options.raw)])
      headers['content-type'] = options.type ?? 'application/octet-stream'
    } else if (options.body !== undefined) {
      body = JSON.stringify(options.body)
      headers['content-type'] = 'application/json'
    }
    const response = await fetch(`${registry.url}${path}`, { method, headers, body })
    const text = await response.text()
    let parsed: unknown = text
    try {
      parsed = text ? JSON.parse(text) : null
    } catch {
      // Not JSON (a form file download): the text itself is the body.
    }
    return { status: response.status, body: parsed, headers: response.headers }
  }
  return {
    url: registry.url,
    app: registry.app,
    db: registry.database.db,
    call,
    close: registry.close,
  }
}

/** One registry per backend for a test file; PostgreSQL gets its own throwaway cluster. */
export function useRegistry(
  backend: Backend,
  overrides: Partial<RegistryConfig> = {},
): () => TestRegistry {
  let registry: TestRegistry | undefined
  let cluster: TestCluster | undefined
  beforeAll(async () => {
    if (backend === 'postgres') cluster = await startPostgres()
    const database = cluster ? { databaseUrl: await cluster.createDatabase() } : { dataDir: null }
    registry = await startTestRegistry(testConfig(database, overrides))
  })
  afterAll(async () => {
    await registry?.close()
    cluster?.stop()
  })
  return () => {
    if (!registry) throw new Error('The registry has not started.')
    return registry
  }
}

let unique = 0
export const uniqueName = (prefix: string): string => `${prefix}-${process.pid}-${++unique}`

export async function makeOffice(db: RegistryDb): Promise<{ id: string; code: string }> {
  return createOffice(db, system, { code: uniqueName('office'), name: 'Test office' })
}

/** Creates a user with the role and signs in over HTTP; returns the session token. */
export async function signIn(
  registry: TestRegistry,
  role: 'admin' | 'data_manager' | 'viewer',
): Promise<string> {
  const email = `${uniqueName(role)}@hq.example`
  await createUser(registry.db, system, { email, name: role, role, password })
  const reply = await registry.call('POST', '/v1/hq/login', { body: { email, password } })
  if (reply.status !== 200) throw new Error(`login failed: ${JSON.stringify(reply.body)}`)
  return (reply.body as { token: string }).token
}

export function deviceKeys(): { publicKey: string; signFor: (code: string) => string } {
  const pair = generateKeyPairSync('ed25519')
  const jwk = pair.publicKey.export({ format: 'jwk' })
  const publicKey = Buffer.from(jwk.x ?? '', 'base64url').toString('base64')
  return {
    publicKey,
    signFor: (code) =>
      sign(null, Buffer.from(enrollmentMessage(code, publicKey)), pair.privateKey).toString(
        'base64',
      ),
  }
}

export function enrollBody(code: string, keys = deviceKeys()): Record<string, string> {
  return { code, deviceName: 'laptop', publicKey: keys.publicKey, signature: keys.signFor(code) }
}

/** Enrolls a new device in the office and returns its token and ids. */
export async function enroll(registry: TestRegistry, officeId: string): Promise<EnrollResponse> {
  const { code } = await createEnrollmentCode(registry.db, system, { office: officeId })
  const reply = await registry.call('POST', '/v1/enroll', { body: enrollBody(code) })
  if (reply.status !== 200) throw new Error(`enroll failed: ${JSON.stringify(reply.body)}`)
  return reply.body as EnrollResponse
}
