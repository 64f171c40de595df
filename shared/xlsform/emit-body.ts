import type { Build } from './build-context'
import { ensureChoiceInstance, itemset } from './emit-choices'
import { exprSite } from './emit-binds'
import { isSection, type FormNode, type QuestionNode, type SectionNode } from './form-model'
import { hintElements, labelElement } from './labels'
import { resolveExpression } from './references'
import { el, type XmlNode } from './xml-node'

function controlAttrs(build: Build, node: FormNode): Record<string, string> {
  const attrs: Record<string, string> = {}
  for (const [key, value] of Object.entries(node.row.values)) {
    if (!key.startsWith('control::') || key === 'control::jr:count') continue
    attrs[key.slice('control::'.length)] = value
  }
  return attrs
}

function questionControl(build: Build, q: QuestionNode): XmlNode[] {
  const tag = q.def.control
  if (!tag) return []
  const children: (XmlNode | undefined)[] = [labelElement(build, q), ...hintElements(build, q)]
  const attrs: Record<string, string | undefined> = { ref: q.path, ...controlAttrs(build, q) }
  if (q.def.mediatype) attrs.mediatype = q.def.mediatype
  if (q.select && !q.select.fromFile) {
    const list = build.choices.get(q.select.listName)
    if (list) {
      ensureChoiceInstance(build, list, q.select.orOther)
      children.push(itemset(build, q, list))
    }
  }
  children.push(...(build.controlActions.get(q.path) ?? []))
  const out = [el(tag, attrs, children)]
  if (q.select?.orOther && q.select.type !== 'rank') {
    out.push(el('input', { ref: `${q.path}_other` }, [el('label', {}, [], 'Specify other.')]))
  }
  return out
}

function sectionControl(build: Build, section: SectionNode): XmlNode[] {
  const children = section.children.flatMap((c) => bodyElements(build, c))
  const label = labelElement(build, section)
  const attrs = controlAttrs(build, section)
  if (section.kind === 'repeat') {
    const count = section.row.values['control::jr:count']
    const repeatAttrs: Record<string, string | undefined> = { nodeset: section.path, ...attrs }
    if (count !== undefined) repeatAttrs['jr:count'] = resolveExpression(build.refs, count, exprSite(section, 'control::jr:count'))
    const actions = build.repeatActions.get(section.path) ?? []
    return [el('group', { ref: section.path }, [label, el('repeat', repeatAttrs, [...actions, ...children])])]
  }
  return [el('group', { ref: section.path, ...attrs }, [label, ...hintElements(build, section), ...children])]
}

export function bodyElements(build: Build, node: FormNode): XmlNode[] {
  return isSection(node) ? sectionControl(build, node) : questionControl(build, node)
}

export function body(build: Build): XmlNode {
  return el('h:body', {}, build.root.children.flatMap((c) => bodyElements(build, c)))
}
