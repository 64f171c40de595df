import { pushTo, type Build } from './build-context'
import { entityMetaGroup, type EntityDecl } from './entities'
import { emptyRow, nearestRepeat, type QuestionNode, type SectionNode } from './form-model'
import { resolveExpression } from './references'
import { el, type XmlNode } from './xml-node'

/** Adds `<meta><entity …><label/></entity></meta>` to each entity's container. */
export function addEntityNodes(build: Build, decls: EntityDecl[]): void {
  for (const d of decls) {
    const container = d.container
    if (!container) continue
    const meta =
      container === build.root
        ? (container.children.find(
            (c): c is SectionNode =>
              c.kind === 'group' && c.name === 'meta' && c.generated === true,
          ) ?? entityMetaGroup(container))
        : entityMetaGroup(container)
    const creating = d.createIf !== undefined || d.entityId === undefined
    const updating = d.entityId !== undefined
    const attrs: Record<string, string> = { dataset: d.listName, id: '' }
    if (creating) attrs.create = '1'
    if (updating)
      Object.assign(attrs, { update: '1', baseVersion: '', trunkVersion: '', branchId: '' })
    const entity: SectionNode = {
      kind: 'group',
      name: 'entity',
      row: emptyRow('entities', d.row.row),
      path: '',
      parent: meta,
      children: [],
      generated: true,
      instanceAttrs: attrs,
    }
    if (d.label !== undefined) {
      const label: QuestionNode = {
        kind: 'question',
        name: 'label',
        type: 'entity',
        def: {},
        row: emptyRow('entities', d.row.row),
        path: '',
        parent: entity,
        generated: true,
      }
      entity.children.push(label)
    }
    meta.children.push(entity)
    d.node = entity
  }
}

function expr(build: Build, d: EntityDecl, text: string, context: string, column: string): string {
  return resolveExpression(build.refs, text, {
    contextPath: context,
    sheet: 'entities',
    row: d.row.row,
    column,
  })
}

function bind(nodeset: string, calculate?: string): XmlNode {
  return el('bind', { nodeset, calculate, type: 'string', readonly: 'true()' })
}

/** The entity id: from entity_id (update), or a fresh uuid() when the form creates it. */
function idBinds(build: Build, d: EntityDecl, node: SectionNode): XmlNode[] {
  const p = node.path
  if (d.entityId === undefined) {
    build.modelActions.push(
      el('setvalue', { event: 'odk-instance-first-load', ref: `${p}/@id`, value: 'uuid()' }),
    )
    const repeat = nearestRepeat(node)
    if (repeat)
      pushTo(
        build.repeatActions,
        repeat.path,
        el('setvalue', { event: 'odk-new-repeat', ref: `${p}/@id`, value: 'uuid()' }),
      )
    return [bind(`${p}/@id`)]
  }
  const out = [bind(`${p}/@id`, expr(build, d, d.entityId, `${p}/@id`, 'entity_id'))]
  const versions = [
    ['baseVersion', '__version'],
    ['trunkVersion', '__trunkVersion'],
    ['branchId', '__branchId'],
  ] as const
  for (const [attr, field] of versions) {
    const lookup = `instance('${d.listName}')/root/item[name=${d.entityId}]/${field}`
    out.push(bind(`${p}/@${attr}`, expr(build, d, lookup, `${p}/@${attr}`, 'entity_id')))
  }
  return out
}

/** Binds and setvalues that fill in an entity's id, label, create/update flags and versions. */
export function entityBinds(build: Build, decls: EntityDecl[]): XmlNode[] {
  const out: XmlNode[] = []
  for (const d of decls) {
    const node = d.node
    if (!node) continue
    const p = node.path
    out.push(...idBinds(build, d, node))
    if (d.createIf !== undefined)
      out.push(bind(`${p}/@create`, expr(build, d, d.createIf, `${p}/@create`, 'create_if')))
    if (d.updateIf !== undefined)
      out.push(bind(`${p}/@update`, expr(build, d, d.updateIf, `${p}/@update`, 'update_if')))
    if (d.label !== undefined)
      out.push(bind(`${p}/label`, expr(build, d, d.label, `${p}/label`, 'label')))
  }
  return out
}

export function entitiesVersion(decls: EntityDecl[], root: SectionNode): string {
  return decls.some((d) => d.container !== undefined && d.container !== root)
    ? '2025.1.0'
    : '2024.1.0'
}
