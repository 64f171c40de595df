import { z } from 'zod'

/** The closed set of error codes every boundary (IPC, bridge, HTTP) speaks. */
export const errorCodes = [
  'validation',
  'not_found',
  'conflict',
  'offline',
  'unauthorized',
  'forbidden',
  'package_invalid',
  'schema_newer',
  'schema_mismatch',
  'unavailable',
  'rate_limited',
  'internal',
] as const

export type ErrorCode = (typeof errorCodes)[number]

export const appErrorSchema = z.object({
  code: z.enum(errorCodes),
  message: z.string(),
  details: z.unknown().optional(),
})

/** The one error shape that crosses a boundary. `message` is written for the person at the keyboard. */
export type AppError = z.infer<typeof appErrorSchema>

export type Result<T> = { ok: true; value: T } | { ok: false; error: AppError }

/** Thrown inside the core and the registry; each boundary turns it into a plain AppError. */
export class AppFailure extends Error {
  readonly code: ErrorCode
  readonly details: unknown

  constructor(code: ErrorCode, message: string, details?: unknown) {
    super(message)
    this.name = 'AppFailure'
    this.code = code
    this.details = details
  }

  toAppError(): AppError {
    return this.details === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, details: this.details }
  }
}

export function appError(code: ErrorCode, message: string, details?: unknown): AppError {
  return details === undefined ? { code, message } : { code, message, details }
}

export function isAppError(value: unknown): value is AppError {
  return appErrorSchema.safeParse(value).success
}

/**
 * Coerces anything thrown into an AppError. Unknown errors become `internal` with a generic
 * message: their text may hold paths or data and is for the log, not for the screen.
 */
export function toAppError(thrown: unknown): AppError {
  if (thrown instanceof AppFailure) return thrown.toAppError()
  if (isAppError(thrown)) return thrown
  return appError(
    'internal',
    'Something went wrong inside Outpost. Nothing you saved was lost; try again, and if it keeps happening, send the log to your supervisor.',
  )
}

export function assertNever(value: never): never {
  throw new Error(`Unexpected value: ${JSON.stringify(value)}`)
}
