import type { CallInput, CallName, CallOutput, OutpostApi } from '../../../shared/api'
import { AppFailure } from '../../../shared/errors'
import { createBridgeClient, takeBridgeToken } from './bridge-client'

declare global {
  interface Window {
    outpost?: OutpostApi
  }
}

let api: OutpostApi | undefined

/** In Electron the preload provides `window.outpost`; in a browser the bridge adapter does. */
export function installApi(win: Window = window): OutpostApi {
  if (win.outpost) return (api = win.outpost)
  const token = takeBridgeToken(win.location, win.sessionStorage, win.history)
  if (!token) {
    throw new AppFailure(
      'unauthorized',
      'This page was opened without its access token. Open the address that `npm start` printed.',
    )
  }
  api = createBridgeClient(win.location.origin, token)
  win.outpost = api
  return api
}

export function setApi(next: OutpostApi): void {
  api = next
}

export function getApi(): OutpostApi {
  if (!api) throw new AppFailure('internal', 'The Outpost API was used before it was installed.')
  return api
}

const inFlight = new Set<{ name: CallName; done: Promise<unknown> }>()

/** Calls waiting for the core's answer (the lock screen lets the last saves finish first). */
export function pendingCalls(): ReadonlyArray<{ name: CallName; done: Promise<unknown> }> {
  return [...inFlight]
}

/** Calls the core and returns the value, or throws the AppError as an AppFailure. */
export async function call<K extends CallName>(name: K, input: CallInput<K>): Promise<CallOutput<K>> {
  const request = getApi().invoke(name, input)
  const entry = { name, done: request }
  inFlight.add(entry)
  const result = await request.finally(() => inFlight.delete(entry))
  if (!result.ok) throw new AppFailure(result.error.code, result.error.message, result.error.details)
  return result.value
}
