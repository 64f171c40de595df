import type { FormEngine } from './engine'
import type { InstanceNode } from './instance'
import type { FieldValue, RecordValues, RepeatInstance } from '../../records/values'
import { escapeXml } from './xml'
import { toStringValue, type XPathValue } from '../xpath/values'

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

const decimalTypes = new Set(['decimal', 'xsd:decimal'])

/**
 * A leaf's text in a submission. Decimals are written as JavaRosa's DecimalData does (Java's
 * Double.toString: 2 → 2.0, 1.50 → 1.5) while expressions keep reading the value as typed.
 */
export function submissionText(engine: FormEngine, node: InstanceNode): string {
  if (node.value === '' || !decimalTypes.has(engine.binds.get(node.path)?.type ?? '')) return node.value
  return javaDouble(node.value)
}

/** A decimal as Java's Double.toString writes it (2 → 2.0), where that is plain decimal text. */
function javaDouble(text: string): string {
  const number = Number(text)
  if (!Number.isFinite(number) || Math.abs(number) >= 1e7 || (number !== 0 && Math.abs(number) < 1e-3)) return text
  return Number.isInteger(number) ? `${number}.0` : String(number)
}

const integerTypes = new Set(['int', 'integer', 'xsd:int', 'xsd:integer', 'long', 'xsd:long'])

/**
 * What a calculate or a setvalue stores from its result, as JavaRosa's Recalculate.wrapData: NaN
 * (and '') is no answer, a number stored in an integer question drops its fraction (Java's
 * (int) cast), anything else is its XPath text.
 */
export function storedResult(type: string | undefined, value: XPathValue): string {
  if (typeof value === 'number') {
    if (Number.isNaN(value)) return ''
    if (type && integerTypes.has(type) && Number.isFinite(value)) return toStringValue(Math.trunc(value))
  }
  return toStringValue(value)
}

/**
 * A default value written in the form, read by its question's type as JavaRosa does when it
 * loads a form (XFormAnswerDataParser): text that is not an integer, a decimal or a date for such
 * a question is no answer, and a date keeps only its day.
 */
export function typedDefault(type: string | undefined, text: string): string {
  const value = text.trim()
  if (value === '' || !type) return text
  const bare = type.replace(/^xsd:/, '')
  if (bare === 'int' || bare === 'integer' || bare === 'long') return /^[-+]?\d+$/.test(value) ? String(Number(value)) : ''
  if (bare === 'decimal') return /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(value) ? value : ''
  if (bare === 'date') return /^\d{4}-\d\d-\d\d(T|$)/.test(value) ? value.slice(0, 10) : ''
  return canonicalAnswer(type, text)
}

const geoTypes = new Set(['geopoint', 'geotrace', 'geoshape'])

/**
 * An answer as JavaRosa keeps it once typed into its data type. Locations are stored as their
 * GeoPointData text: each number as a Java double ('1500' → '1500.0'), and a point of only zeros
 * is no location at all (GeoPointData.getDisplayText), so expressions read what is submitted.
 */
export function canonicalAnswer(type: string | undefined, value: string): string {
  if (value === '' || !type || !geoTypes.has(type.replace(/^\w+:/, ''))) return value
  const points = value.split(';').map((point) => point.trim()).filter((point) => point !== '')
  const canonical = points.map((point) => {
    const parts = point.split(/\s+/)
    if (parts.some((part) => !/^-?(\d+\.?\d*|\.\d+)$/.test(part))) return point
    return parts.every((part) => Number(part) === 0) ? '' : parts.map(javaDouble).join(' ')
  })
  return canonical.some((point) => point === '') ? '' : canonical.join(';')
}

function write(engine: FormEngine, node: InstanceNode, out: string[], keepIrrelevant: boolean, extraAttrs = ''): void {
  if (!keepIrrelevant && !engine.isRelevant(node)) return
  const attrs = node.attributes.map((a) => ` ${a.name}="${escapeXml(a.value)}"`).join('')
  if (node.isLeaf) {
    const text = submissionText(engine, node)
    out.push(text === '' ? `<${node.name}${extraAttrs}${attrs}/>` : `<${node.name}${extraAttrs}${attrs}>${escapeXml(text)}</${node.name}>`)
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

const numericTypes = new Set(['int', 'integer', 'decimal', 'xsd:int', 'xsd:integer', 'xsd:decimal'])
const multiTypes = new Set(['select', 'xsd:select', 'odk:rank'])

function leafValue(engine: FormEngine, node: InstanceNode): FieldValue {
  if (node.value === '') return null
  const type = engine.binds.get(node.path)?.type ?? 'string'
  if (numericTypes.has(type)) {
    const number = Number(node.value)
    return Number.isFinite(number) ? number : node.value
  }
  if (multiTypes.has(type)) return node.value.split(/\s+/).filter(Boolean)
  return node.value
}

/**
 * The entity block of an ODK entities form (`meta/entity`): its attributes carry the entity's
 * id, dataset, create/update flags and base version, which no question holds. They are kept in
 * the projection as `meta/entity/@id` and so on, so they travel with the record.
 */
const isEntityBlock = (parent: InstanceNode, node: InstanceNode): boolean =>
  node.localName === 'entity' && parent.localName === 'meta' && node.attributes.length > 0

/**
 * The record's JSON projection for the local store (see shared/records/values.ts): keys are
 * paths below the root with groups joined by '/', repeats are arrays of such maps relative to
 * the repeat, numbers are numbers, multiple choices arrays. Non-relevant answers are kept, as in
 * a draft: the store must never lose what someone typed. The entity block's attributes are kept
 * too (see isEntityBlock).
 */
export function projectInstance(engine: FormEngine): RecordValues {
  const project = (node: InstanceNode, prefix: string, into: RepeatInstance): RepeatInstance => {
    for (const child of node.children) {
      const key = `${prefix}${child.name}`
      if (engine.repeats.has(child.path)) {
        const list = (into[key] ?? []) as RepeatInstance[]
        list.push(project(child, '', {}))
        into[key] = list
      } else if (child.isLeaf) into[key] = leafValue(engine, child)
      else project(child, `${key}/`, into)
      if (isEntityBlock(node, child)) for (const attribute of child.attributes) into[`${key}/@${attribute.name}`] = leafValue(engine, attribute)
    }
    return into
  }
  return project(engine.root, '', {})
}
