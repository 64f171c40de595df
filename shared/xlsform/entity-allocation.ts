import type { Build } from './build-context'
import type { FormRow } from './columns'
import {
  allQuestions,
  isAncestor,
  scopeName,
  scopeOf,
  validEntityPropertyName,
  variableRefs,
  type EntityDecl,
} from './entities'
import type { FormNode, QuestionNode, SectionNode } from './form-model'
import { parseType } from './question-types'

function saveToError(build: Build, row: number, message: string): void {
  build.diags.error(`On the 'survey' sheet, the 'save_to' value is invalid. ${message}`, {
    sheet: 'survey',
    row,
    column: 'save_to',
  })
}

/** Reads the survey's save_to column: which entity and property each question saves to. */
export function readSaveTo(
  build: Build,
  rows: FormRow[],
  decls: EntityDecl[],
): Map<EntityDecl, QuestionNode[]> {
  const out = new Map<EntityDecl, QuestionNode[]>()
  for (const row of rows) {
    const kind = row.values.type === undefined ? undefined : parseType(row.values.type).kind
    if (
      row.values['bind::entities:saveto'] !== undefined &&
      (kind === 'begin' || kind === 'end' || kind === 'begin_loop')
    )
      saveToError(
        build,
        row.row,
        "Groups and repeats can't be saved as entity properties. Either remove or move the save_to value in this row.",
      )
  }
  const assigned = new Map<string, number>()
  for (const q of allQuestions(build)) {
    const value = q.row.values['bind::entities:saveto']
    if (value === undefined) continue
    if (decls.length === 0) {
      saveToError(
        build,
        q.row.row,
        'To save entity properties using the save_to column, add an entities sheet and declare an entity.',
      )
      continue
    }
    const parts = value.split('#')
    if (parts.length > 2) {
      saveToError(
        build,
        q.row.row,
        "A 'save_to' value must have at most one '#' delimiter character. Please check the spelling of this 'save_to' value.",
      )
      continue
    }
    const [first = '', second] = parts
    const prop = second ?? first
    let decl = decls[0]
    if (second === undefined && decls.length > 1) {
      saveToError(
        build,
        q.row.row,
        "When there is more than one entity declaration, 'save_to' names must be prefixed with the entity 'list_name' that the property belongs to. Please add the prefix separated with a '#', e.g. my_list#my_save_to.",
      )
      continue
    }
    if (second !== undefined) decl = decls.find((d) => d.listName === first)
    if (!decl) {
      saveToError(
        build,
        q.row.row,
        `The entity list name '${first}' was not found on the entities sheet. Please either: check the spelling of the list name in the save_to value, or on the entities sheet add a row for this entity list, or check the spelling of existing entity list names.`,
      )
      continue
    }
    if (!validEntityPropertyName(build, q, prop)) continue
    const key = `${decl.listName}#${prop}`
    const before = assigned.get(key)
    if (before !== undefined) {
      saveToError(
        build,
        q.row.row,
        `The save_to property '${prop}' is already assigned by row '${before}'. Either remove or change one of these duplicate save_to property names.`,
      )
      continue
    }
    assigned.set(key, q.row.row)
    build.bindExtras.set(q.path, { ...build.bindExtras.get(q.path), 'entities:saveto': prop })
    out.set(decl, [...(out.get(decl) ?? []), q])
  }
  return out
}

/** The repeat (or survey) an entity belongs to, from the questions it saves and refers to. */
function entityScope(build: Build, d: EntityDecl, saves: QuestionNode[]): SectionNode | undefined {
  let scope: SectionNode | undefined
  for (const q of saves) {
    const s = scopeOf(q)
    if (scope && s !== scope) {
      saveToError(
        build,
        q.row.row,
        `The entity list name '${d.listName}' has a reference in container scope '${scopeName(build, scope)}' which is not compatible with this 'save_to' reference in scope '${scopeName(build, s)}'. Please either: check the spelling of the list name in the 'save_to', or copy either value into the desired container scope.`,
      )
      return undefined
    }
    scope = s
  }
  for (const v of variableRefs(build, d)) {
    const s = scopeOf(v.node)
    if (!scope || s === scope || isAncestor(s, scope)) {
      scope ??= s
      continue
    }
    if (saves.length === 0 && isAncestor(scope, s)) {
      scope = s
      continue
    }
    build.diags.error(
      `On the 'entities' sheet, the entity declaration is invalid. The entity list name '${d.listName}' has a reference in container scope '${scopeName(build, scope)}' which is not compatible with the variable reference to '${v.node.name}' in scope '${scopeName(build, s)}'. Please either: check the spelling of the variable references, or copy either value into the desired container scope.`,
      { sheet: 'entities', row: d.row.row },
    )
    return undefined
  }
  return scope ?? build.root
}

function lowestCommonContainer(nodes: FormNode[], scope: SectionNode): SectionNode {
  const chains = nodes.map((n) => {
    const chain: SectionNode[] = []
    for (let cur = n.parent; cur; cur = cur.parent) chain.unshift(cur)
    return chain
  })
  let lca = scope
  for (let depth = 0; ; depth++) {
    const at = chains[0]?.[depth]
    if (!at || !chains.every((c) => c[depth] === at)) break
    if (at === scope || isAncestor(scope, at)) lca = at
  }
  return lca
}

function deepestContainer(nodes: FormNode[], scope: SectionNode): SectionNode {
  let best = scope
  for (const n of nodes)
    if (n.parent && n.parent.path.split('/').length > best.path.split('/').length) best = n.parent
  return best
}

function preferredContainer(
  scope: SectionNode,
  saves: QuestionNode[],
  all: FormNode[],
  taken: Map<SectionNode, EntityDecl>,
): SectionNode {
  const inside = all.filter((n) => scopeOf(n) === scope)
  const crosses = inside.length < all.length
  if (crosses && inside.length > 0) {
    const local = saves.filter((q) => scopeOf(q) === scope)
    return local.length > 0 ? lowestCommonContainer(local, scope) : deepestContainer(inside, scope)
  }
  return taken.has(scope) && inside.length > 0 ? lowestCommonContainer(inside, scope) : scope
}

function othersSaves(saveTo: Map<EntityDecl, QuestionNode[]>, d: EntityDecl): QuestionNode[] {
  return [...saveTo.entries()].filter(([other]) => other !== d).flatMap(([, qs]) => qs)
}

/** Gives every entity a container of its own: the closest one around what it refers to. */
export function allocateEntities(
  build: Build,
  decls: EntityDecl[],
  saveTo: Map<EntityDecl, QuestionNode[]>,
): void {
  const taken = new Map<SectionNode, EntityDecl>()
  for (const d of decls) {
    const saves = saveTo.get(d) ?? []
    const scope = entityScope(build, d, saves)
    if (!scope) continue
    const all = [...saves, ...variableRefs(build, d).map((v) => v.node)]
    // The scope's own container when free; otherwise the closest free one around the references
    // that holds no question saved to another entity. An entity that also refers to an outer
    // repeat is placed by its references from the start, as pyxform does.
    let container: SectionNode | undefined = preferredContainer(scope, saves, all, taken)
    const blocked = (c: SectionNode): boolean =>
      taken.has(c) || (c !== scope && othersSaves(saveTo, d).some((q) => isAncestor(c, q)))
    while (container && blocked(container) && container !== scope) container = container.parent
    const holder = container ? taken.get(container) : undefined
    if (!container || holder) {
      build.diags.error(
        `On the 'entities' sheet, the entity declaration is invalid. Each container (survey, group, repeat) may have only one entity declaration, but there are no valid containers available in the scope: '${scopeName(build, scope)}', which has been allocated to the entity on row '${holder?.row.row ?? '?'}'. Please either: check which entities are referred to from the 'save_to' column and the entities sheet, or move the questions into a group of their own.`,
        { sheet: 'entities', row: d.row.row },
      )
      continue
    }
    taken.set(container, d)
    d.container = container
  }
}
