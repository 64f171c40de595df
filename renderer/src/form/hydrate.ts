import type { FormEngine } from '../../../shared/forms/runtime/engine'
import type { InstanceNode } from '../../../shared/forms/runtime/instance'
import type { FieldValue, RecordValues, RepeatInstance } from '../../../shared/records/values'

const asText = (value: FieldValue): string | null => {
  if (value === null) return ''
  if (typeof value === 'string') return value
  if (typeof value === 'number' || typeof value === 'boolean') return String(value)
  if (value.every((item) => typeof item === 'string')) return value.join(' ')
  return null
}

/** The node at `path` below `node`; a last step `@name` is an attribute (the entity block's id). */
function child(node: InstanceNode, path: string): InstanceNode | undefined {
  let at: InstanceNode | undefined = node
  for (const name of path.split('/')) {
    at = name.startsWith('@') ? at?.attributes.find((a) => a.name === name.slice(1)) : at?.children.find((c) => c.name === name)
  }
  return at
}

/** Fills `scope` (the root or a repeat instance) from a flat map of paths relative to it. */
function fill(engine: FormEngine, scope: InstanceNode, values: RecordValues | RepeatInstance): void {
  for (const [path, value] of Object.entries(values)) {
    const repeatPath = `${scope.path}/${path}`
    if (engine.repeats.has(repeatPath) && Array.isArray(value) && value.every((v) => typeof v === 'object' && v !== null)) {
      const parentPath = repeatPath.slice(0, repeatPath.lastIndexOf('/'))
      const parent = parentPath === scope.path ? scope : child(scope, parentPath.slice(scope.path.length + 1))
      if (!parent) continue
      const instances = () => parent.children.filter((c) => c.path === repeatPath)
      while (instances().length < value.length) engine.addRepeat(repeatPath, parent)
      ;(value).forEach((item, index) => {
        const instance = instances()[index]
        if (instance) fill(engine, instance, item)
      })
      continue
    }
    const node = child(scope, path)
    const text = asText(value)
    // Fields this form version does not know are left alone here; the store keeps them.
    if (node?.isLeaf && text !== null) engine.setValue(node, text)
  }
}

/**
 * A record stored without instance XML (created through the API, imported, or synced from an
 * older app) opens with its answers: the instance is rebuilt from the JSON projection, so an
 * edit never starts from a blank form and overwrites what was there.
 */
export function hydrateFromValues(engine: FormEngine, values: RecordValues): void {
  fill(engine, engine.root, values)
}
