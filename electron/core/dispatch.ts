import { calls, isCallName, type Handlers } from '../../shared/api'
import { appError, toAppError, type Result } from '../../shared/errors'

export type Logger = { error: (message: string, detail?: unknown) => void }

export const consoleLogger: Logger = { error: (message, detail) => console.error(message, detail) }

export type Dispatch = (name: unknown, input: unknown) => Promise<Result<unknown>>

/**
 * The one loop every boundary (IPC and the browser bridge) goes through: check the call name,
 * validate the input against the contract, call the core, and turn whatever happens into a
 * Result. Unknown failures are logged here and reach the screen as `internal`.
 */
export function createDispatcher(handlers: Handlers, log: Logger = consoleLogger): Dispatch {
  return async (name, input) => {
    if (!isCallName(name)) {
      return { ok: false, error: appError('validation', `Outpost has no call named "${String(name)}".`) }
    }
    const spec = calls[name]
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
