import { describe, expect, it } from 'vitest'
import { sql } from 'kysely'
import { AppFailure } from '../../shared/errors'
import { openDatabase } from '../../registry/db/database'
import { loadMigrationFiles, migrate } from '../../registry/db/migrate'
import { httpStatus } from '../../registry/http/errors'
import { errorCodes } from '../../shared/errors'
import {
  backends,
  enroll,
  makeOffice,
  startTestRegistry,
  testConfig,
  useRegistry,
} from './helpers/harness'
import { startPostgres } from './helpers/postgres'

describe.each(backends)('server behaviour on %s', (backend) => {
  const registry = useRegistry(backend, { rateLimit: 5, jsonBodyLimit: 2048 })

  it('answers health and readiness', async () => {
    const { call } = registry()
    expect(await call('GET', '/health')).toMatchObject({ status: 200, body: { status: 'ok' } })
    expect(await call('GET', '/ready')).toMatchObject({ status: 200, body: { status: 'ready' } })
  })

  it('refuses a body over the limit with a clear error', async () => {
    const { call } = registry()
    const reply = await call('POST', '/v1/hq/login', {
      body: { email: 'x'.repeat(4000), password: 'y' },
    })
    expect(reply).toMatchObject({
      status: 400,
      body: {
        error: { code: 'validation', message: expect.stringContaining('larger') as unknown },
      },
    })
  })

  it('limits requests per device and says when to retry', async () => {
    const { db, call } = registry()
    const device = await enroll(registry(), (await makeOffice(db)).id)
    const statuses: number[] = []
    let retryAfter: string | null = null
    for (let i = 0; i < 7; i++) {
      const reply = await call('GET', '/v1/device/forms', { token: device.token })
      statuses.push(reply.status)
      retryAfter ??= reply.headers.get('retry-after')
    }
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429, 429])
    expect(Number(retryAfter)).toBeGreaterThan(0)
  })

  it('answers unknown routes and internal failures without leaking internals', async () => {
    const { call } = registry()
    expect(await call('GET', '/v1/nothing')).toMatchObject({
      status: 404,
      body: { error: { code: 'not_found' } },
    })
    const broken = await call('POST', '/v1/hq/login', {
      raw: '{"email":',
      type: 'application/json',
    })
    expect(broken).toMatchObject({ status: 400, body: { error: { code: 'validation' } } })
  })
})

describe('the status table', () => {
  it('maps every error code to an HTTP status', () => {
    for (const code of errorCodes) expect(httpStatus[code]).toBeGreaterThanOrEqual(400)
  })
})

describe('migrations on PostgreSQL', () => {
  it('applies once, refuses a changed file and a newer database, and survives two instances starting together', async () => {
    const cluster = await startPostgres()
    try {
      const url = await cluster.createDatabase()
      const [a, b] = [
        await openDatabase({ databaseUrl: url }),
        await openDatabase({ databaseUrl: url }),
      ]
      try {
        const files = loadMigrationFiles()
        expect(
          (await Promise.all([migrate(a.db, files), migrate(b.db, files)])).reduce((x, y) => x + y),
        ).toBe(files.length)
        expect(await migrate(a.db, files)).toBe(0)
        const changed = files.map((file, i) =>
          i === 0 ? { ...file, checksum: 'different' } : file,
        )
        await expect(migrate(a.db, changed)).rejects.toMatchObject({ code: 'schema_mismatch' })
        await sql`INSERT INTO schema_migrations (version, name, checksum) VALUES (999, 'future', 'x')`.execute(
          a.db,
        )
        const refused = await migrate(a.db, files).catch((error: unknown) => error)
        expect(refused).toBeInstanceOf(AppFailure)
        expect(refused).toMatchObject({ code: 'schema_newer' })
      } finally {
        await Promise.all([a.close(), b.close()])
      }
    } finally {
      cluster.stop()
    }
  })

  it('closes gracefully: a request in flight finishes, new connections are refused', async () => {
    const cluster = await startPostgres()
    try {
      const registry = await startTestRegistry(
        testConfig({ databaseUrl: await cluster.createDatabase() }),
      )
      const arrived = new Promise((resolve) => registry.app.server.once('request', resolve))
      const inFlight = registry.call('POST', '/v1/hq/login', {
        body: { email: 'a@b.c', password: 'slow argon2 check' },
      })
      await arrived
      const closing = registry.close()
      expect((await inFlight).status).toBe(401)
      await closing
      await expect(fetch(`${registry.url}/health`)).rejects.toThrow()
    } finally {
      cluster.stop()
    }
  })
})
