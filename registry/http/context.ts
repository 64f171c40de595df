import type { FastifyRequest } from 'fastify'
import { sql } from 'kysely'
import { AppFailure } from '../../shared/errors'
import type { RegistryConfig } from '../config'
import type { RegistryDb } from '../db/database'
import type { DeviceActor, HqActor } from '../domain/actors'
import { authenticateDevice } from '../domain/devices'
import { authenticateSession } from '../domain/users'

/** What every route needs: the database and the limits. Nothing here holds request data. */
export type Deps = { db: RegistryDb; config: RegistryConfig }

export function bearerToken(request: FastifyRequest, prefix: 'odt' | 'ohs'): string {
  const header = request.headers.authorization ?? ''
  const match = /^Bearer\s+(\S+)$/i.exec(header)
  const token = match?.[1]
  if (!token || !token.startsWith(`${prefix}_`) || token.length > 200) {
    throw new AppFailure(
      'unauthorized',
      prefix === 'odt'
        ? 'This request needs a device token. Enroll the device with a code from HQ.'
        : 'Sign in first.',
    )
  }
  return token
}

/**
 * Counts a request against its subject in the current fixed window. The counter lives in the
 * database so that every registry instance enforces the same limit.
 */
export async function rateLimit(deps: Deps, subject: string): Promise<void> {
  const window = deps.config.rateWindowSeconds
  if (deps.config.rateLimit === 0 || window === 0) return
  // Raw SQL: the window start is computed by the database clock, shared by all instances.
  const result = await sql<{ hits: number; reset_in: number }>`
    INSERT INTO rate_limit_windows AS w (subject, window_start, hits)
    VALUES (${subject}, to_timestamp(floor(extract(epoch FROM now()) / ${window}) * ${window}), 1)
    ON CONFLICT (subject, window_start) DO UPDATE SET hits = w.hits + 1
    RETURNING hits, ceil(${window} - extract(epoch FROM now() - window_start))::int AS reset_in`.execute(
    deps.db,
  )
  const row = result.rows[0]
  if (Math.random() < 0.005) {
    // Old windows are swept now and then by whichever request draws it; no timer is needed.
    await sql`DELETE FROM rate_limit_windows WHERE window_start < now() - make_interval(secs => ${window * 2})`.execute(
      deps.db,
    )
  }
  if (row && row.hits > deps.config.rateLimit) {
    throw new AppFailure(
      'rate_limited',
      'Too many requests from this device. Wait a moment; sync resumes by itself.',
      {
        retryAfterSeconds: Math.max(1, row.reset_in),
      },
    )
  }
}

export async function deviceActor(deps: Deps, request: FastifyRequest): Promise<DeviceActor> {
  const device = await authenticateDevice(deps.db, bearerToken(request, 'odt'))
  await rateLimit(deps, `device:${device.deviceId}`)
  return device
}

export async function hqActor(deps: Deps, request: FastifyRequest): Promise<HqActor> {
  const user = await authenticateSession(deps.db, bearerToken(request, 'ohs'))
  await rateLimit(deps, `user:${user.userId}`)
  return user
}

export function addressLimit(deps: Deps, request: FastifyRequest): Promise<void> {
  return rateLimit(deps, `ip:${request.ip}`)
}
