import type { Build } from './build-context'
import { ensureChoiceInstance, inlineItems, itemset } from './emit-choices'
import { exprSite } from './emit-binds'
import {
  isSection,
  nearestRepeat,
  type FormNode,
  type QuestionNode,
  type SectionNode,
} from './form-model'
import { hintElements, labelElement } from './labels'
import { rangeSpec } from './range'
import { questionParams } from './question-params'
import { namePattern, nameRule } from './survey-tree'
import { geoControl } from './geo'
import { fromFileInstance } from './external'
import { readParameters } from './parameters'
import { resolveExpression } from './references'
import { el, type XmlNode } from './xml-node'

function controlAttrs(build: Build, node: FormNode): Record<string, string> {
  const attrs: Record<string, string> = {}
  for (const [key, value] of Object.entries(node.row.values)) {
    if (!key.startsWith('control::') || key === 'control::jr:count') continue
    attrs[key.slice('control::'.length)] = resolveExpression(build.refs, value, exprSite(node, key))
  }
  return attrs
}

/** `select_one ${name}`: the choices are the answers given to `name` in a repeat. */
function repeatItems(build: Build, q: QuestionNode, name: string): XmlNode[] {
  const source = build.refs.byName.get(name)?.[0]
  const repeat = source ? nearestRepeat(source) : undefined
  if (!source || !repeat) {
    build.diags.error(
      `The choices of '${q.name}' come from \`\${${name}}\`, which must be a question inside a repeat.`,
      exprSite(q, 'type'),
    )
    return []
  }
  const rel = source.path.slice(repeat.path.length + 1)
  const filter = q.row.values.choice_filter
  let predicate = `./${rel} != ''`
  if (filter !== undefined) {
    const local = filter.replace(/\$\{([^}]+)\}/g, (whole, n: string) => {
      const target = build.refs.byName.get(n.trim())?.[0]
      return target && target.path.startsWith(`${repeat.path}/`)
        ? ` ./${target.path.slice(repeat.path.length + 1)} `
        : whole
    })
    predicate = resolveExpression(build.refs, local, {
      ...exprSite(q, 'choice_filter'),
      inPredicate: true,
    })
  }
  return [
    el('itemset', { nodeset: `${repeat.path}[${predicate}]` }, [
      el('value', { ref: rel }),
      el('label', { ref: rel }),
    ]),
  ]
}

export function usesSearch(q: QuestionNode): boolean {
  return /search\s*\(/.test(q.row.values['control::appearance'] ?? '')
}

function selectItems(build: Build, q: QuestionNode): XmlNode[] {
  const select = q.select
  if (!select) return []
  const params = readParameters(
    build.diags,
    q,
    select.fromFile ? ['value', 'label', 'randomize', 'seed'] : ['randomize', 'seed'],
  )
  if (select.fromFile) {
    const id = fromFileInstance(build, q, select.listName)
    const geojson = select.listName.toLowerCase().endsWith('.geojson')
    const p: Record<string, string> = {
      ...(geojson ? { value: 'id', label: 'title' } : {}),
      ...params,
    }
    for (const key of ['value', 'label'] as const)
      if (params?.[key] !== undefined && !namePattern.test(params[key]))
        build.diags.error(
          `On the 'survey' sheet, the 'parameters (${key})' value is invalid. ${nameRule}`,
          { sheet: 'survey', row: q.row.row, column: 'parameters' },
        )
    return id === undefined ? [] : [itemset(build, q, id, p, false)]
  }
  const fromRepeat = /^\$\{([^}]+)\}$/.exec(select.listName)
  if (fromRepeat) return repeatItems(build, q, fromRepeat[1] ?? '')
  const list = build.choices.get(select.listName)
  if (!list) return []
  if (usesSearch(q)) return inlineItems(build, list)
  ensureChoiceInstance(build, list, select.orOther)
  return [itemset(build, q, list.name, params ?? {}, list.usesItext)]
}

function externalQuery(build: Build, q: QuestionNode): string {
  readParameters(build.diags, q, ['randomize', 'seed'])
  const filter = q.row.values.choice_filter
  const base = `instance('${q.externalList ?? ''}')/root/item`
  if (filter === undefined) return base
  return `${base}[${resolveExpression(build.refs, filter, { ...exprSite(q, 'choice_filter'), inPredicate: true })}]`
}

function questionControl(build: Build, q: QuestionNode): XmlNode[] {
  const tag = q.def.control
  if (!tag) return []
  const text = q.row.text
  const computed =
    q.row.values['bind::calculate'] !== undefined || q.row.values.trigger !== undefined
  if (
    computed &&
    !text.label &&
    !text.hint &&
    !Object.keys(text).some((k) => k.startsWith('media::'))
  )
    return []
  const children: (XmlNode | undefined)[] = [labelElement(build, q), ...hintElements(build, q)]
  const attrs: Record<string, string | undefined> = { ref: q.path, ...controlAttrs(build, q) }
  if (q.def.mediatype) attrs.mediatype = q.def.mediatype
  children.push(...questionParams(build, q, attrs))
  if (q.type === 'geopoint' || q.type === 'geotrace' || q.type === 'geoshape')
    children.push(...geoControl(build, q, attrs))
  if (q.type === 'range') {
    const spec = rangeSpec(build, q)
    Object.assign(attrs, spec?.attrs)
    if (spec?.decimal) build.bindExtras.set(q.path, { type: 'decimal' })
    const list = spec?.labelset === undefined ? undefined : build.choices.get(spec.labelset)
    if (list) {
      ensureChoiceInstance(build, list, false)
      children.push(itemset(build, q, list.name, {}, list.usesItext))
    }
  }
  if (q.select) children.push(...selectItems(build, q))
  if (q.externalList !== undefined) attrs.query = externalQuery(build, q)
  for (const tag of build.osmLists?.get(q.osmList ?? '')?.choices ?? [])
    children.push(
      el('tag', { key: tag.name }, [el('label', {}, [], tag.row.text.label?.default ?? tag.name)]),
    )
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
    if (section.countNode) repeatAttrs['jr:count'] = ` ${section.countNode.path} `
    else if (count !== undefined)
      repeatAttrs['jr:count'] = resolveExpression(
        build.refs,
        count,
        exprSite(section, 'control::jr:count'),
      )
    const actions = build.repeatActions.get(section.path) ?? []
    // pyxform always gives a repeat's group a label, empty when the author wrote none.
    return [
      el('group', { ref: section.path }, [
        label ?? el('label'),
        el('repeat', repeatAttrs, [...actions, ...children]),
      ]),
    ]
  }
  const ref = section.flat ? undefined : section.path
  return [el('group', { ref, ...attrs }, [label, ...hintElements(build, section), ...children])]
}

export function bodyElements(build: Build, node: FormNode): XmlNode[] {
  if (node.generated && isSection(node)) return []
  return isSection(node) ? sectionControl(build, node) : questionControl(build, node)
}

export function body(build: Build): XmlNode {
  return el(
    'h:body',
    {},
    build.root.children.flatMap((c) => bodyElements(build, c)),
  )
}
