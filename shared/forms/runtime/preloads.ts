import { storedResult } from './serialize'
import { isoDate, isoDateTime, systemTimeZone, toWallTime } from '../xpath/time'
import type { FormEngine } from './engine'
import type { InstanceNode } from './instance'

/** What the device tells a form about itself (jr:preload="property" and metadata). */
export type LoadEnvironment = {
  deviceId?: string
  username?: string
  email?: string
  phoneNumber?: string
  now?: () => number
  newUuid?: () => string
}

const uuid = (env: LoadEnvironment): string => env.newUuid?.() ?? globalThis.crypto.randomUUID()

function preloadValue(kind: string, params: string, phase: 'load' | 'finalize', env: LoadEnvironment): string | undefined {
  const now = (env.now ?? Date.now)()
  if (kind === 'uid' && phase === 'load') return `uuid:${uuid(env)}`
  if (kind === 'timestamp' && params === 'start' && phase === 'load') return isoDateTime(now, systemTimeZone)
  if (kind === 'timestamp' && params === 'end' && phase === 'finalize') return isoDateTime(now, systemTimeZone)
  if (kind === 'date' && params === 'today' && phase === 'load') return isoDate(toWallTime(now, systemTimeZone))
  if (kind === 'property' && phase === 'load') {
    const properties: Record<string, string | undefined> = {
      deviceid: env.deviceId,
      username: env.username,
      email: env.email,
      phonenumber: env.phoneNumber,
    }
    return properties[params.toLowerCase()]
  }
  return undefined
}

/** Fills jr:preload fields: instanceID, start and today at load; end when the record is finalised. */
export function applyPreloads(engine: FormEngine, phase: 'load' | 'finalize', env: LoadEnvironment): void {
  for (const bind of engine.binds.values()) {
    if (!bind.preload) continue
    const value = preloadValue(bind.preload, bind.preloadParams ?? '', phase, env)
    if (value === undefined) continue
    for (const node of engine.nodesAt(bind.nodeset)) if (phase === 'finalize' || node.value === '') engine.setValue(node, value)
  }
}

function repeatInstanceOf(engine: FormEngine, node: InstanceNode): InstanceNode | null {
  for (let at = node.parent; at && at.kind !== 'root'; at = at.parent) if (engine.repeats.has(at.path)) return at
  return null
}

const within = (node: InstanceNode, scope: InstanceNode | null): boolean => {
  if (!scope) return true
  for (let at: InstanceNode | null = node; at; at = at.parent) if (at === scope) return true
  return false
}

/**
 * Runs <setvalue> (and odk:setgeopoint, left blank without a location source) for an event:
 * first load, every load, a new repeat instance, or a change of the triggering question.
 */
export function applyActions(engine: FormEngine, event: string, triggerPath?: string, scope?: InstanceNode, changed?: InstanceNode): void {
  for (const action of engine.def.actions) {
    if (!action.events.includes(event)) continue
    if (event === 'xforms-value-changed' && action.trigger !== triggerPath) continue
    if (event === 'odk-new-repeat' && triggerPath && !action.ref.startsWith(`${triggerPath}/`) && action.ref !== triggerPath) continue
    // The question that changed, not the first at its path: in a repeat, its own instance is the scope.
    const trigger = event === 'xforms-value-changed' && triggerPath ? (changed ?? engine.nodesAt(triggerPath)[0]) : undefined
    const limit = scope ?? (trigger ? repeatInstanceOf(engine, trigger) : null)
    for (const target of engine.nodesAt(action.ref).filter((node) => within(node, limit))) {
      const value = action.value !== undefined ? storedResult(engine.binds.get(target.path)?.type, engine.evaluateExpression(action.value, target)) : (action.text ?? '')
      engine.setValue(target, value)
    }
  }
}
