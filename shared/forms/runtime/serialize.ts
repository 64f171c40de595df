import type { FormEngine } from './engine'
import type { InstanceNode } from './instance'
import { escapeXml } from './xml'

const knownNamespaces: Record<string, string> = {
  jr: 'http://openrosa.org/javarosa',
  orx: 'http://openrosa.org/xforms',
  odk: 'http://www.opendatakit.org/xforms',
  entities: 'http://www.opendatakit.org/xforms/entities',
}

function prefixesUsed(node: InstanceNode, into: Set<string>): Set<string> {
  if (node.prefix) into.add(node.prefix)
  node.attributes.forEach((a) => a.prefix && into.add(a.prefix))
  node.children.forEach((c) => prefixesUsed(c, into))
  return into
}

function write(engine: FormEngine, node: InstanceNode, out: string[], keepIrrelevant: boolean, extraAttrs = ''): void {
  if (!keepIrrelevant && !engine.isRelevant(node)) return
  const attrs = node.attributes.map((a) => ` ${a.name}="${escapeXml(a.value)}"`).join('')
  if (node.isLeaf) {
    out.push(node.value === '' ? `<${node.name}${extraAttrs}${attrs}/>` : `<${node.name}${extraAttrs}${attrs}>${escapeXml(node.value)}</${node.name}>`)
    return
  }
  out.push(`<${node.name}${extraAttrs}${attrs}>`)
  for (const child of node.children) write(engine, child, out, keepIrrelevant)
  out.push(`</${node.name}>`)
}

/**
 * The instance as ODK submits it (OpenRosa): non-relevant questions are left out of a
 * submission. A draft keeps them (`keepIrrelevant`) so that no answer is lost when a person
 * goes back and makes a question relevant again.
 */
export function serializeInstance(engine: FormEngine, options: { keepIrrelevant?: boolean } = {}): string {
  const root = engine.root
  const declarations = [...prefixesUsed(root, new Set())]
    .filter((prefix) => knownNamespaces[prefix])
    .map((prefix) => ` xmlns:${prefix}="${knownNamespaces[prefix] ?? ''}"`)
    .join('')
  const out: string[] = []
  write(engine, root, out, options.keepIrrelevant ?? false, declarations)
  return out.join('')
}

export type JsonValue = string | JsonObject | JsonObject[]
export type JsonObject = { [name: string]: JsonValue }

/**
 * The record's JSON projection for the local store: groups as objects, repeats as arrays of
 * objects, leaves as their XForms string values. Non-relevant answers are kept, like a draft.
 */
export function projectInstance(engine: FormEngine): JsonObject {
  const project = (node: InstanceNode): JsonObject => {
    const out: JsonObject = {}
    for (const child of node.children) {
      if (engine.repeats.has(child.path)) {
        const list = (out[child.name] ?? []) as JsonObject[]
        list.push(project(child))
        out[child.name] = list
      } else out[child.name] = child.isLeaf ? child.value : project(child)
    }
    return out
  }
  return project(engine.root)
}
