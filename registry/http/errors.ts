import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify'
import { ZodError } from 'zod'
import type { AppError, ErrorCode } from '../../shared/errors'
import { appError, toAppError } from '../../shared/errors'

/** The one table from error code to HTTP status. */
export const httpStatus: Record<ErrorCode, number> = {
  validation: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  package_invalid: 422,
  offline: 503,
  unavailable: 503,
  rate_limited: 429,
  schema_newer: 503,
  schema_mismatch: 503,
  internal: 500,
}

function isFastifyError(error: unknown): error is FastifyError {
  return (
    error instanceof Error &&
    'code' in error &&
    typeof error.code === 'string' &&
    error.code.startsWith('FST_')
  )
}

/** Turns anything thrown into an AppError; framework client errors say what to fix, the rest is internal. */
export function toHttpError(error: unknown): AppError {
  if (error instanceof ZodError) {
    const issues = error.issues
      .slice(0, 20)
      .map((issue) => ({ path: issue.path.join('.'), message: issue.message }))
    return appError('validation', 'The request is not valid; see details for what to fix.', {
      issues,
    })
  }
  if (isFastifyError(error) && (error.statusCode ?? 500) < 500) {
    if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      return appError(
        'validation',
        'The request is larger than the registry accepts. Send smaller batches.',
      )
    }
    return appError('validation', `The request could not be read: ${error.message}`)
  }
  return toAppError(error)
}

export function sendError(
  request: FastifyRequest,
  reply: FastifyReply,
  error: unknown,
): FastifyReply {
  const body = toHttpError(error)
  const status = httpStatus[body.code]
  if (status >= 500 && body.code !== 'unavailable')
    request.log.error({ err: error }, 'request failed')
  else request.log.info({ code: body.code }, 'request refused')
  const retryAfter = body.code === 'unavailable' || body.code === 'rate_limited' ? retryAfterOf(body.details) : null
  if (retryAfter !== null) void reply.header('retry-after', String(retryAfter))
  return reply.status(status).send({ error: body })
}

function retryAfterOf(details: unknown): number | null {
  if (typeof details === 'object' && details !== null && 'retryAfterSeconds' in details) {
    const value = details.retryAfterSeconds
    return typeof value === 'number' ? value : null
  }
  return null
}
