import { parseXForm } from './runtime/definition'

/**
 * The entity block of an ODK entities form as a record's values hold it
 * (shared/forms/runtime/serialize.ts keeps the block's attributes as `meta/entity/@…`). Read the
 * same way by the registry, which applies it to the register (registry/domain/entities.ts), and
 * by the laptop, which shows it in the register its forms read until HQ's copy has it
 * (electron/core/forms/local-entities.ts).
 */
export type EntityBlock = {
  dataset: string
  entityId: string
  create: boolean
  update: boolean
  /** The entry's revision the update was made from (`@baseVersion`); null when not given. */
  baseRevision: number | null
  label: string
}

const blockKey = 'meta/entity/'

/** Whether a key of a record's values belongs to its entity block. */
export const isEntityKey = (key: string): boolean => key.startsWith(blockKey)

/** An answer as the text an entity property holds (a multiple choice as its names, spaced). */
export function entityPropertyText(value: unknown): string {
  if (typeof value === 'string') return value
  if (typeof value === 'number' || typeof value === 'boolean') return String(value)
  if (Array.isArray(value)) return value.map(entityPropertyText).join(' ')
  return value === null || value === undefined ? '' : JSON.stringify(value)
}

const truthy = (value: unknown) => value === true || value === 1 || value === '1' || value === 'true'

export function readEntityBlock(values: Record<string, unknown>): EntityBlock {
  const text = (key: string) => entityPropertyText(values[`${blockKey}${key}`])
  const base = text('@baseVersion')
  return {
    dataset: text('@dataset'),
    entityId: text('@id'),
    create: truthy(values[`${blockKey}@create`]),
    update: truthy(values[`${blockKey}@update`]),
    baseRevision: base === '' || !Number.isFinite(Number(base)) ? null : Number(base),
    label: text('label'),
  }
}

/** The properties a form saves to (`entities:saveto`): property name → the answer's key in the values. */
export function savedProperties(xform: string): Map<string, string> {
  const definition = parseXForm(xform)
  const root = `/${definition.primary.name}/`
  const properties = new Map<string, string>()
  for (const bind of definition.binds) {
    if (bind.saveTo && bind.nodeset.startsWith(root)) properties.set(bind.saveTo, bind.nodeset.slice(root.length))
  }
  return properties
}

/** The property values a record's answers give, for the properties its form saves to. */
export function savedValues(properties: ReadonlyMap<string, string>, values: Record<string, unknown>): Record<string, string> {
  const saved: Record<string, string> = {}
  for (const [property, key] of properties) if (key in values) saved[property] = entityPropertyText(values[key])
  return saved
}
