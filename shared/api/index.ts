import type { z } from 'zod'
import type { Result } from '../errors'
import { appCalls } from './app'
import { authCalls, usersCalls } from './auth'
import { joinDomains } from './define'
import type { EventName, EventPayload } from './events'
import { formsCalls } from './forms'
import { recordsCalls } from './records'
import { settingsCalls } from './settings'
import { syncCalls } from './sync'
import { packagesCalls } from './packages'

export * from './app'
export * from './auth'
export * from './channels'
export * from './events'
export * from './forms'
export * from './permissions'
export * from './records'
export * from './settings'
export * from './sync'
export * from './packages'

/** The whole contract between the renderer and the core: `domain.verb` → input and output schemas. */
export const calls = joinDomains(appCalls, authCalls, usersCalls, settingsCalls, formsCalls, recordsCalls, syncCalls, packagesCalls)

export type Calls = typeof calls
export type CallName = keyof Calls
/** What a caller sends (before defaults are applied). */
export type CallInput<K extends CallName> = z.input<Calls[K]['input']>
/** What a handler receives (after validation). */
export type CallArgs<K extends CallName> = z.output<Calls[K]['input']>
export type CallOutput<K extends CallName> = z.output<Calls[K]['output']>

export const callNames = Object.keys(calls) as CallName[]

export function isCallName(name: unknown): name is CallName {
  return typeof name === 'string' && Object.hasOwn(calls, name)
}

/** Every call must have exactly one handler: a missing or misspelt one is a compile error. */
export type Handlers = { [K in CallName]: (input: CallArgs<K>) => Promise<CallOutput<K>> }

/** What the renderer sees as `window.outpost`, in Electron (preload) and in the browser (bridge). */
export type OutpostApi = {
  invoke<K extends CallName>(name: K, input: CallInput<K>): Promise<Result<CallOutput<K>>>
  on<E extends EventName>(name: E, listener: (payload: EventPayload<E>) => void): () => void
}
