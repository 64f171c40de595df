import { calls, isCallName, type CallName, type Handlers } from '../../shared/api'
import { appError, toAppError, type Result } from '../../shared/errors'

export type Logger = { error: (message: string, detail?: unknown) => void }

export const consoleLogger: Logger = { error: (message, detail) => console.error(message, detail) }

export type Dispatch = (name: unknown, input: unknown) => Promise<Result<unknown>>

/** Throws an AppFailure (`unauthorized`, `forbidden`) when the session may not make the call. */
export type Authorize = (name: CallName) => void

/**
 * The one loop every boundary (IPC and the browser bridge) goes through: check the call name,
 * validate the input against the contract, check the session may make it (roles are enforced
 * here, in the core, whatever the screen shows), call the core, and turn whatever happens into a
 * Result. Unknown failures are logged here and reach the screen as `internal`.
 */
export function createDispatcher(handlers: Handlers, log: Logger = consoleLogger, authorize?: Authorize): Dispatch {
  return async (name, input) => {
    if (!isCallName(name)) {
      return { ok: false, error: appError('validation', `Outpost has no call named "${String(name)}".`) }
    }
    const spec = calls[name]
    try {
      authorize?.(name)
    } catch (error) {
      return { ok: false, error: toAppError(error) }
    }
    const parsed = spec.input.safeParse(input ?? {})
    if (!parsed.success) {
      return {
        ok: false,
        error: appError('validation', `The request "${name}" was not valid.`, {
          issues: parsed.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message })),
        }),
      }
    }
    try {
      const handler = handlers[name] as (input: unknown) => Promise<unknown>
      const value = await handler(parsed.data)
      return { ok: true, value: spec.output.parse(value) }
    } catch (error) {
      const appErr = toAppError(error)
      if (appErr.code === 'internal') log.error(`Call "${name}" failed`, error)
      return { ok: false, error: appErr }
    }
  }
}
