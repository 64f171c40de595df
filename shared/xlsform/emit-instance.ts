import type { Build } from './build-context'
import { defaultIsDynamic } from './expression-lexer'
import { isSection, type FormNode, type QuestionNode, type SectionNode } from './form-model'
import { el, type XmlNode } from './xml-node'
import { resolveExpression } from './references'
import { exprSite } from './emit-binds'

type Resolve = (node: FormNode, key: string, value: string) => string
let resolve: Resolve = (_n, _k, v) => v

function instanceAttrs(node: FormNode): Record<string, string> {
  const attrs: Record<string, string> = {}
  for (const [k, v] of Object.entries(node.row.values))
    if (k.startsWith('instance::')) attrs[k.slice('instance::'.length)] = resolve(node, k, v)
  return attrs
}

/** The static default, written as the element's initial text. */
export function staticDefault(q: QuestionNode): string | undefined {
  const value = q.row.values.default
  if (value === undefined || defaultIsDynamic(value, q.def.bindType ?? q.type)) return undefined
  return value
}

function questionElements(q: QuestionNode): XmlNode[] {
  if (q.type === 'xml-external' || q.type === 'csv-external') return []
  const out = [el(q.name, instanceAttrs(q), [], staticDefault(q))]
  if (q.select?.orOther && q.select.type !== 'rank') out.push(el(`${q.name}_other`))
  return out
}

/** `copy` is set inside a repeat's template (or its first instance): nested repeats then appear once. */
type Copy = 'template' | 'instance' | undefined

function sectionChildren(section: SectionNode, copy: Copy): XmlNode[] {
  return section.children.flatMap((child) => nodeElements(child, copy))
}

function nodeElements(node: FormNode, copy: Copy): XmlNode[] {
  if (!isSection(node)) return questionElements(node)
  if (node.kind === 'repeat') {
    const template = el(node.name, { 'jr:template': '' }, sectionChildren(node, 'template'))
    const instance = el(node.name, instanceAttrs(node), sectionChildren(node, 'instance'))
    return copy === 'template'
      ? [template]
      : copy === 'instance'
        ? [instance]
        : [template, instance]
  }
  if (node.flat) return sectionChildren(node, copy)
  return [
    el(node.name, { ...instanceAttrs(node), ...node.instanceAttrs }, sectionChildren(node, copy)),
  ]
}

/** The primary instance: the survey's element tree with the root's id and version. */
export function primaryInstance(build: Build): XmlNode {
  resolve = (node, key, value) => resolveExpression(build.refs, value, exprSite(node, key))
  const s = build.settings
  const attrs: Record<string, string | undefined> = {
    id: s.form_id ?? 'data',
    version: s.version,
    'odk:prefix': s.prefix,
    'odk:delimiter': s.delimiter,
  }
  if (s.instance_xmlns) attrs.xmlns = s.instance_xmlns
  for (const [k, v] of Object.entries(s))
    if (k.startsWith('attribute::')) attrs[k.slice('attribute::'.length)] = v
  return el('instance', {}, [el(build.root.name, attrs, sectionChildren(build.root, undefined))])
}
