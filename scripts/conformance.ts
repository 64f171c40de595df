/**
 * Runs pyxform's test corpus (../shared/conformance/pyxform/cases.jsonl) through the Outpost
 * XLSForm compiler and prints pass rates per pyxform test file and per assertion kind.
 * Usage: npm run conformance -- PATH/TO/cases.jsonl [--json OUT.json]
 */
import { readFileSync, writeFileSync } from 'node:fs'
import { pathToFileURL } from 'node:url'
import { DOMParser } from '@xmldom/xmldom'
import * as xpath from 'xpath'
import { compileWorkbook, readMarkdown, type Workbook } from '../shared/xlsform/index'
import { sheetFromGrid } from '../shared/xlsform/workbook'

export type Case = {
  id: string
  file: string
  md?: string
  ss_structure?: Record<string, Record<string, string>[]>
  name?: string
  errored: boolean
  xml__xpath_match?: string[]
  xml__xpath_count?: [string, number][]
  xml__xpath_exact?: [string, string[]][]
  warnings_count?: number
  [key: string]: unknown
}

/** Assertion kinds that are goals; the byte-exact `*__contains` family is counted apart. */
export const goalKinds = [
  'errored',
  'converts',
  'xml__xpath_match',
  'xml__xpath_count',
  'xml__xpath_exact',
  'warnings_count',
] as const
export type Kind = (typeof goalKinds)[number]

export type CaseResult = {
  id: string
  file: string
  kinds: Partial<Record<Kind, boolean>>
  /** The byte-exact and wording checks: reported, never counted as pass or fail. */
  info: Record<string, boolean>
  failures: string[]
  passed: boolean
}

/** pyxform's substring assertions, against our own pretty-printed output and messages. */
function infoChecks(
  c: Case,
  xml: string | undefined,
  errors: string,
  warnings: string,
): Record<string, boolean> {
  const part = (tag: string): string => {
    const start = xml?.indexOf(`<${tag}`) ?? -1
    const end = xml?.indexOf(`</${tag}>`, start) ?? -1
    return xml && start >= 0 && end >= 0 ? xml.slice(start, end + tag.length + 3) : ''
  }
  const texts: Record<string, string> = {
    xml: xml ?? '',
    model: part('model'),
    itext: part('itext'),
    instance: part('instance'),
    error: errors,
    warnings,
  }
  const out: Record<string, boolean> = {}
  for (const [key, value] of Object.entries(c)) {
    const m = /^(xml|model|itext|instance|error|warnings)__(contains|excludes|not_contains)$/.exec(
      key,
    )
    if (!m || !Array.isArray(value)) continue
    const text = texts[m[1] ?? ''] ?? ''
    const want = m[2] === 'contains'
    out[key] = value.every((s) => typeof s === 'string' && text.includes(s) === want)
  }
  return out
}

const baseNamespaces: Record<string, string> = {
  x: 'http://www.w3.org/2002/xforms',
  h: 'http://www.w3.org/1999/xhtml',
  jr: 'http://openrosa.org/javarosa',
  orx: 'http://openrosa.org/xforms',
  odk: 'http://www.opendatakit.org/xforms',
  entities: 'http://www.opendatakit.org/xforms/entities',
  ev: 'http://www.w3.org/2001/xml-events',
  xsd: 'http://www.w3.org/2001/XMLSchema',
}

function workbookOf(c: Case): Workbook {
  if (c.md !== undefined) return readMarkdown(c.md)
  const sheets = Object.entries(c.ss_structure ?? {}).map(([name, rows]) => {
    const headers = [...new Set(rows.flatMap((r) => Object.keys(r)))]
    const grid = [
      { row: 1, cells: headers },
      ...rows.map((r, i) => ({ row: i + 2, cells: headers.map((h) => String(r[h] ?? '')) })),
    ]
    return sheetFromGrid(name, grid)
  })
  return { sheets }
}

function escapeText(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
}

/** Serialises a result as lxml does in pyxform's assertion: sorted attributes, no xmlns. */
function serializeNode(node: Node): string {
  if (node.nodeType === 2) return (node as Attr).value
  if (node.nodeType === 3) return (node as Text).data
  if (node.nodeType !== 1) return String(node.textContent)
  const e = node as Element
  const attrs = Array.from(e.attributes)
    .filter((a) => a.name !== 'xmlns' && !a.name.startsWith('xmlns:'))
    .map((a) => ({
      key: a.namespaceURI ? `{${a.namespaceURI}}${a.localName}` : a.name,
      text: `${a.name}="${escapeText(a.value).replace(/"/g, '&quot;')}"`,
    }))
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
  const open = `<${e.tagName}${attrs.map((a) => ` ${a.text}`).join('')}`
  const inner = Array.from(e.childNodes).map((child) =>
    child.nodeType === 3 ? escapeText((child as Text).data) : serializeNode(child),
  )
  return inner.length === 0 ? `${open}/>` : `${open}>${inner.join('')}</${e.tagName}>`
}

function evaluate(select: xpath.XPathSelect, expr: string, doc: Document): unknown[] {
  const r = select(expr.trim(), doc)
  return Array.isArray(r) ? r : [r]
}

function checkXml(
  c: Case,
  xml: string,
  failures: string[],
  kinds: Partial<Record<Kind, boolean>>,
): void {
  const doc = new DOMParser({ onError: () => undefined }).parseFromString(
    xml,
    'text/xml',
  ) as unknown as Document
  const namespaces = { ...baseNamespaces }
  for (const m of xml
    .slice(0, xml.indexOf('>', xml.indexOf('<h:html')))
    .matchAll(/xmlns:([\w.-]+)="([^"]*)"/g))
    namespaces[m[1] ?? ''] ??= m[2] ?? ''
  const select = xpath.useNamespaces(namespaces)
  const run = (kind: Kind, ok: () => boolean, what: string): void => {
    let pass: boolean
    try {
      pass = ok()
    } catch (e) {
      pass = false
      what += ` (${String(e)})`
    }
    if (!pass) failures.push(`${kind}: ${what}`)
    kinds[kind] = (kinds[kind] ?? true) && pass
  }
  for (const expr of c.xml__xpath_match ?? [])
    run('xml__xpath_match', () => evaluate(select, expr, doc).length === 1, expr.trim())
  for (const [expr, n] of c.xml__xpath_count ?? [])
    run('xml__xpath_count', () => evaluate(select, expr, doc).length === n, `${expr.trim()} = ${n}`)
  for (const [expr, expected] of c.xml__xpath_exact ?? [])
    run(
      'xml__xpath_exact',
      () => {
        const got = new Set(
          evaluate(select, expr, doc).map((n) =>
            typeof n === 'object' && n !== null ? serializeNode(n as Node) : String(n),
          ),
        )
        return got.size === new Set(expected).size && expected.every((e) => got.has(e))
      },
      expr.trim(),
    )
}

export function runCase(c: Case): CaseResult {
  const failures: string[] = []
  const kinds: Partial<Record<Kind, boolean>> = {}
  let result
  try {
    result = compileWorkbook(workbookOf(c), { formName: c.name ?? 'test_name' })
  } catch (e) {
    failures.push(`crashed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`)
  }
  const errored = !result || !result.ok
  if (c.errored) {
    kinds.errored = errored && result !== undefined
    if (!kinds.errored) failures.push('errored: expected the form to be rejected')
  } else {
    kinds.converts = !errored
    if (errored && result)
      failures.push(`converts: ${result.errors.map((e) => e.message).join(' | ')}`)
  }
  if (result?.ok && result.xml && !c.errored) {
    try {
      checkXml(c, result.xml, failures, kinds)
    } catch (e) {
      failures.push(`xml: not well-formed: ${String(e).slice(0, 200)}`)
      for (const k of ['xml__xpath_match', 'xml__xpath_count', 'xml__xpath_exact'] as const)
        if (c[k]) kinds[k] = false
    }
  } else if (!c.errored)
    for (const k of ['xml__xpath_match', 'xml__xpath_count', 'xml__xpath_exact'] as const)
      if (c[k]) kinds[k] = false
  if (c.warnings_count !== undefined) {
    const n = result?.warnings.length ?? -1
    kinds.warnings_count = n === c.warnings_count
    if (!kinds.warnings_count)
      failures.push(`warnings_count: expected ${c.warnings_count}, got ${n}`)
  }
  // pyxform puts the row in the message text; compose it that way for its wording checks.
  const messages = (list: { message: string; row?: number }[] | undefined): string =>
    (list ?? [])
      .map((d) => (d.row === undefined ? d.message : `[row : ${d.row}] ${d.message}`))
      .join('\n')
  const info = infoChecks(c, result?.xml, messages(result?.errors), messages(result?.warnings))
  return {
    id: c.id,
    file: c.file,
    kinds,
    info,
    failures,
    passed: Object.values(kinds).every(Boolean),
  }
}

export type Summary = {
  total: number
  passed: number
  byKind: Record<string, [number, number]>
  byFile: Record<string, [number, number]>
  xpathCases: [number, number]
  erroredCases: [number, number]
  informational: Record<string, [number, number]>
}

export function readCases(path: string): Case[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as Case)
}

export function summarize(results: CaseResult[]): Summary {
  const byKind: Record<string, [number, number]> = {}
  const byFile: Record<string, [number, number]> = {}
  const bump = (map: Record<string, [number, number]>, key: string, ok: boolean): void => {
    const entry = (map[key] ??= [0, 0])
    entry[1]++
    if (ok) entry[0]++
  }
  const xpathCases: [number, number] = [0, 0]
  const erroredCases: [number, number] = [0, 0]
  const informational: Record<string, [number, number]> = {}
  for (const r of results) {
    bump(byFile, r.file, r.passed)
    for (const [kind, ok] of Object.entries(r.kinds)) bump(byKind, kind, ok)
    for (const [kind, ok] of Object.entries(r.info)) bump(informational, kind, ok)
    const xp = ['xml__xpath_match', 'xml__xpath_count', 'xml__xpath_exact'].filter(
      (k) => k in r.kinds,
    )
    if (xp.length > 0 && !('errored' in r.kinds)) {
      xpathCases[1]++
      if (xp.every((k) => r.kinds[k as Kind])) xpathCases[0]++
    }
    if ('errored' in r.kinds) {
      erroredCases[1]++
      if (r.kinds.errored) erroredCases[0]++
    }
  }
  return {
    total: results.length,
    passed: results.filter((r) => r.passed).length,
    byKind,
    byFile,
    xpathCases,
    erroredCases,
    informational,
  }
}

function pct([p, t]: [number, number]): string {
  return `${p}/${t} (${t === 0 ? '100.0' : ((100 * p) / t).toFixed(1)}%)`
}

function main(argv: string[]): number {
  const path = argv.find((a) => !a.startsWith('--') && argv[argv.indexOf(a) - 1] !== '--json')
  const jsonAt = argv.indexOf('--json')
  const verbose = argv.includes('--verbose')
  if (!path) {
    process.stderr.write(
      'Usage: npm run conformance -- PATH/TO/cases.jsonl [--json OUT.json] [--verbose]\n',
    )
    return 2
  }
  const results = readCases(path).map(runCase)
  const s = summarize(results)
  const out: string[] = ['By pyxform test file:']
  for (const [file, v] of Object.entries(s.byFile).sort())
    out.push(`  ${file.padEnd(52)} ${pct(v)}`)
  out.push('By assertion kind:')
  for (const [kind, v] of Object.entries(s.byKind).sort())
    out.push(`  ${kind.padEnd(20)} ${pct(v)}`)
  out.push('Informational (byte-exact output and pyxform wording; not counted):')
  for (const [kind, v] of Object.entries(s.informational).sort())
    out.push(`  ${kind.padEnd(24)} ${pct(v)}`)
  out.push(
    `XPath-assertion cases: ${pct(s.xpathCases)}`,
    `Errored cases: ${pct(s.erroredCases)}`,
    `All cases: ${pct([s.passed, s.total])}`,
  )
  if (verbose)
    for (const r of results)
      if (!r.passed) out.push(`FAIL ${r.id}\n    ${r.failures.join('\n    ').slice(0, 1500)}`)
  process.stdout.write(`${out.join('\n')}\n`)
  if (jsonAt >= 0) {
    const { total, passed, byKind, byFile } = s
    writeFileSync(
      argv[jsonAt + 1] ?? 'conformance.json',
      JSON.stringify({ total, passed, byKind, byFile }, null, 2),
    )
  }
  return 0
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href)
  process.exitCode = main(process.argv.slice(2))
