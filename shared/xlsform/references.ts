import type { Diagnostics } from './diagnostics'
import type { FormNode } from './form-model'
import { escapeXmlText } from './xml-text'

/** Where an expression sits, for relative paths and for messages. */
export type ExprSite = {
  /** XPath of the element the expression belongs to. */
  contextPath: string
  sheet: string
  row: number
  column: string
  /** References always resolve to absolute paths (e.g. setvalue values outside repeats). */
  absolute?: boolean
  /** The whole expression is a predicate on an instance (choice_filter): use current(). */
  inPredicate?: boolean
}

export type ReferenceIndex = {
  byName: Map<string, FormNode[]>
  repeatPaths: Set<string>
  diags: Diagnostics
  usesLastSaved: boolean
}

const refPattern = /\$\{(last-saved#)?([^}]*)\}/g

export function hasReference(text: string): boolean {
  return text.includes('${')
}

/** Levenshtein distance, to suggest the name an author probably meant. */
function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i)
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0] ?? 0
    row[0] = i
    for (let j = 1; j <= b.length; j++) {
      const tmp = row[j] ?? 0
      const cost = a[i - 1] === b[j - 1] ? 0 : 1
      row[j] = Math.min((row[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, prev + cost)
      prev = tmp
    }
  }
  return row[b.length] ?? 0
}

function suggestion(index: ReferenceIndex, name: string): string {
  let best: string | undefined
  let bestScore = 3
  for (const candidate of index.byName.keys()) {
    const d = distance(name.toLowerCase(), candidate.toLowerCase())
    if (d < bestScore) {
      best = candidate
      bestScore = d
    }
  }
  return best ? ` Did you mean \`\${${best}}\`?` : ''
}

/** True when position `at` sits inside a `[...]` predicate that follows an instance(...) call. */
function insidePredicate(expr: string, at: number): boolean {
  let depth = 0
  for (let i = at - 1; i >= 0; i--) {
    const ch = expr[i]
    if (ch === ']') depth++
    else if (ch === '[') {
      if (depth === 0) return /instance\s*\(/.test(expr.slice(0, i))
      depth--
    }
  }
  return false
}

/**
 * True when position `at` is a field or repeat argument of indexed-repeat(field, repeat, index, …):
 * those paths stay absolute, while the index arguments are ordinary expressions.
 */
function insideIndexedRepeat(expr: string, at: number): boolean {
  let depth = 0
  let commas = 0
  for (let i = at - 1; i >= 0; i--) {
    const ch = expr[i]
    if (ch === ')') depth++
    else if (ch === ',' && depth === 0) commas++
    else if (ch === '(') {
      if (depth === 0) {
        if (/indexed-repeat\s*$/.test(expr.slice(0, i))) return commas < 2 || commas % 2 === 1
        commas = 0
      } else depth--
    }
  }
  return false
}

/** Relative path from the context to the target when both sit in one repeat, as pyxform writes it. */
function relativePath(index: ReferenceIndex, context: string, target: string): string | undefined {
  const c = context.split('/')
  const t = target.split('/')
  let common = 0
  while (common < c.length && common < t.length && c[common] === t[common]) common++
  // A reference to an enclosing element (e.g. its own repeat) stays absolute.
  if (common === t.length && common < c.length) return undefined
  if (common === c.length && common === t.length) common--
  const shared = c.slice(0, common).join('/')
  // Only references that share a repeat instance with the context are made relative.
  let inRepeat = false
  for (const r of index.repeatPaths) if (shared === r || shared.startsWith(`${r}/`)) inRepeat = true
  if (!inRepeat) return undefined
  return `${'../'.repeat(c.length - common)}${t.slice(common).join('/')}`
}

function lookup(index: ReferenceIndex, name: string, site: ExprSite): FormNode | undefined {
  const nodes = index.byName.get(name)
  const at = { sheet: site.sheet, row: site.row, column: site.column }
  const prefix = `On the '${site.sheet}' sheet, the '${site.column}' value is invalid.`
  if (!nodes || nodes.length === 0) {
    index.diags.error(
      `${prefix} Reference variables must contain a name from the 'survey' sheet. Could not find the name '${name}': \`\${${name}}\` refers to no question.${suggestion(index, name)}`,
      at,
    )
    return undefined
  }
  if (nodes.length > 1) {
    index.diags.error(
      `${prefix} Reference variables names must be unique anywhere in the 'survey'. The name '${name}' appears more than once.`,
      at,
    )
    return undefined
  }
  return nodes[0]
}

/** Resolves one `${name}` to the XPath text pyxform writes, spaces included. */
function refXPath(
  index: ReferenceIndex,
  expr: string,
  at: number,
  lastSaved: boolean,
  name: string,
  site: ExprSite,
): string {
  const node = lookup(index, name, site)
  if (!node) return `\${${name}}`
  if (lastSaved) {
    index.usesLastSaved = true
    return ` instance('__last-saved')${node.path} `
  }
  if (!site.absolute && !insideIndexedRepeat(expr, at)) {
    const rel = relativePath(index, site.contextPath, node.path)
    if (rel !== undefined) {
      return site.inPredicate || insidePredicate(expr, at) ? ` current()/${rel} ` : ` ${rel} `
    }
  }
  return ` ${node.path} `
}

/** Replaces every `${name}` in an expression with its XPath; unknown names are reported. */
export function resolveExpression(index: ReferenceIndex, expr: string, site: ExprSite): string {
  if (!expr.includes('${')) return expr
  return expr.replace(refPattern, (_m, last: string | undefined, name: string, at: number) =>
    refXPath(index, expr, at, last !== undefined, name.trim(), site),
  )
}

const instanceExpr =
  /instance\(\s*['"][^'"]+['"]\s*\)\/root\/item\[[^\]]*\$\{[^\]]*\]\/[A-Za-z_][\w.-]*/g

function output(value: string): string {
  return `<output value="${value.replace(/&/g, '&amp;').replace(/"/g, '&quot;')}"/>`
}

/**
 * Label and hint text: references become <output value="…"/>, and so do lookups such as
 * `instance('c1')/root/item[name = ${q1}]/label`; the rest is escaped XML text.
 */
export function resolveLabelXml(index: ReferenceIndex, text: string, site: ExprSite): string {
  if (!text.includes('${')) return escapeXmlText(text)
  let out = ''
  let last = 0
  const pieces = [...text.matchAll(instanceExpr), ...text.matchAll(refPattern)].sort(
    (a, b) => a.index - b.index,
  )
  for (const m of pieces) {
    const at = m.index
    if (at < last) continue
    out += escapeXmlText(text.slice(last, at))
    out += m[0].startsWith('instance')
      ? output(resolveExpression(index, m[0], { ...site, absolute: true }))
      : output(refXPath(index, text, at, m[1] !== undefined, (m[2] ?? '').trim(), site))
    last = at + m[0].length
  }
  // pyxform pads text that holds <output/>: a space before leading text, and one at the end.
  const lead = text.startsWith('${') ? '' : ' '
  return `${lead}${out}${escapeXmlText(text.slice(last))} `
}
