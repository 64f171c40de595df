import { bindMessage } from './labels'
import type { Build } from './build-context'
import { isSection, walk, type FormNode, type QuestionNode } from './form-model'
import { resolveExpression, type ExprSite } from './references'
import { yesNo } from './settings'
import { el, type XmlNode } from './xml-node'

export function exprSite(node: FormNode, column: string): ExprSite {
  return {
    contextPath: node.path,
    sheet: node.row.sheet,
    row: node.row.row,
    column: node.row.headers[column] ?? column,
  }
}

function booleanExpr(build: Build, node: FormNode, key: string): string | undefined {
  const value = node.row.values[key]
  if (value === undefined) return undefined
  const yn = yesNo(value)
  if (yn !== undefined) return yn ? 'true()' : 'false()'
  return resolveExpression(build.refs, value, exprSite(node, key))
}

const handled = new Set([
  'bind::required',
  'bind::readonly',
  'bind::jr:constraintMsg',
  'bind::jr:requiredMsg',
])

/** Attributes from bind:: columns (relevant, constraint, calculate and any custom ones). */
function bindColumns(build: Build, node: FormNode): Record<string, string> {
  const attrs: Record<string, string> = {}
  for (const [key, value] of Object.entries(node.row.values)) {
    if (!key.startsWith('bind::') || handled.has(key)) continue
    const name = key.slice('bind::'.length)
    if (name === 'calculate' && build.triggered.has(node.path)) continue
    attrs[name] = resolveExpression(build.refs, value, exprSite(node, key))
  }
  const required = booleanExpr(build, node, 'bind::required')
  if (required !== undefined) attrs.required = required
  const readonly = booleanExpr(build, node, 'bind::readonly')
  if (readonly !== undefined) attrs.readonly = readonly
  const constraintMsg = bindMessage(build, node, 'bind::jr:constraintMsg')
  if (constraintMsg !== undefined) attrs['jr:constraintMsg'] = constraintMsg
  const requiredMsg = bindMessage(build, node, 'bind::jr:requiredMsg')
  if (requiredMsg !== undefined) attrs['jr:requiredMsg'] = requiredMsg
  return attrs
}

function questionBind(build: Build, q: QuestionNode): XmlNode[] {
  const def = q.def
  if (def.bindType === undefined) return []
  const attrs: Record<string, string | undefined> = {
    nodeset: q.path,
    type: def.bindType,
    readonly: def.readonly ? 'true()' : undefined,
    'jr:preload': def.preload,
    'jr:preloadParams': def.preloadParams,
    ...bindColumns(build, q),
    ...build.bindExtras.get(q.path),
  }
  const binds = [el('bind', attrs)]
  if (q.select?.orOther && q.select.type !== 'rank') {
    const rel =
      q.select.type === 'select_one'
        ? `selected(../${q.name}, 'other')`
        : `selected(../${q.name}, 'other')`
    binds.push(el('bind', { nodeset: `${q.path}_other`, relevant: rel, type: 'string' }))
  }
  return binds
}

function flatRelevant(build: Build, q: QuestionNode): string | undefined {
  for (let p: FormNode | undefined = q.parent; p && p.kind === 'group' && p.flat; p = p.parent) {
    const rel = p.row.values['bind::relevant']
    if (rel !== undefined) return resolveExpression(build.refs, rel, exprSite(p, 'bind::relevant'))
  }
  return undefined
}

/** One <bind> per question, and per group or repeat that carries bind attributes. */
export function binds(build: Build, extra: (q: QuestionNode) => Record<string, string>): XmlNode[] {
  const out: XmlNode[] = []
  for (const node of walk(build.root)) {
    if (node.kind === 'survey') continue
    if (isSection(node)) {
      if (node.flat) continue
      const attrs = bindColumns(build, node)
      if (Object.keys(attrs).length > 0) out.push(el('bind', { nodeset: node.path, ...attrs }))
      continue
    }
    const list = questionBind(build, node)
    const inherited = flatRelevant(build, node)
    if (inherited !== undefined && list[0] && list[0].attrs.relevant === undefined)
      list[0].attrs.relevant = inherited
    const first = list[0]
    if (first) Object.assign(first.attrs, extra(node))
    out.push(...list)
  }
  return out
}
