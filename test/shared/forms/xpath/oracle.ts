import { createRequire } from 'node:module'
import path from 'node:path'
import type { DomNodeLike } from '../../../../shared/forms/xpath'

/**
 * ODK's own evaluator as an oracle. @getodk/xpath itself cannot be installed from the registry
 * (its @getodk/common dependency is not published), so the oracle is the copy bundled inside
 * @getodk/xforms-engine: each expression becomes the calculate of a string field in a generated
 * form, and the engine's computed value is what ODK Web Forms would show.
 */
type JsdomWindow = Record<string, unknown> & {
  readonly document: unknown
  readonly DOMParser: new () => { parseFromString(xml: string, type: string): DomNodeLike }
}
const require = createRequire(import.meta.url)
// jsdom ships no types; this is the slice the oracle needs.
const { JSDOM } = require('jsdom') as { JSDOM: new (html: string) => { window: JsdomWindow } }
const window = new JSDOM('').window
const globals = globalThis as Record<string, unknown>
const domNames = [
  'DOMParser',
  'XMLSerializer',
  'Node',
  'Document',
  'Element',
  'XPathResult',
  'Attr',
  'Text',
  'XMLDocument',
]
for (const name of domNames) globals[name] = window[name]
globals.document = window.document
const enginePath = require.resolve('@getodk/xforms-engine')
globals.__dirname = path.dirname(enginePath)

type EngineNode = {
  readonly nodeType: string
  readonly currentState: {
    readonly reference: string
    readonly value: unknown
    readonly children: readonly EngineNode[] | null
  }
}
type Engine = {
  createInstance: (xml: string, options: object) => Promise<{ readonly root: EngineNode }>
}

let engine: Promise<Engine> | undefined
const loadEngine = (): Promise<Engine> =>
  (engine ??= import('@getodk/xforms-engine') as unknown as Promise<Engine>)

export const parseXml = (xml: string): DomNodeLike =>
  new window.DOMParser().parseFromString(xml, 'text/xml')

const escapeAttribute = (text: string): string =>
  text.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;')

export type FormParts = {
  /** Children of the primary instance's /data/s group. */
  readonly sample: string
  /** Secondary instances, each `<instance id="...">...</instance>`. */
  readonly instances: string
  /** Body controls for repeats inside /data/s. */
  readonly body: string
}

export const buildForm = (parts: FormParts, expressions: readonly string[]): string => {
  const outputs = expressions.map((_, i) => `<r${i}/>`).join('')
  const binds = expressions
    .map(
      (expr, i) =>
        `<bind nodeset="/data/out/r${i}" type="string" calculate="${escapeAttribute(expr)}"/>`,
    )
    .join('')
  return `<h:html xmlns="http://www.w3.org/2002/xforms" xmlns:h="http://www.w3.org/1999/xhtml" xmlns:jr="http://openrosa.org/javarosa" xmlns:orx="http://openrosa.org/xforms"><h:head><h:title>oracle</h:title><model><instance><data id="oracle"><s>${parts.sample}</s><out>${outputs}</out><meta><instanceID/></meta></data></instance>${parts.instances}${binds}</model></h:head><h:body>${parts.body}</h:body></h:html>`
}

const collectOutputs = (node: EngineNode, out: Map<string, string>): void => {
  for (const child of node.currentState.children ?? []) {
    const value = child.currentState.value
    if (typeof value === 'string') out.set(child.currentState.reference, value)
    collectOutputs(child, out)
  }
}

export type OracleResult = { readonly value: string } | { readonly error: string }

const runBatch = async (
  parts: FormParts,
  expressions: readonly string[],
): Promise<OracleResult[]> => {
  const { createInstance } = await loadEngine()
  const instance = await createInstance(buildForm(parts, expressions), {})
  const values = new Map<string, string>()
  collectOutputs(instance.root, values)
  return expressions.map((_, i) => ({ value: values.get(`/data/out/r${i}`) ?? '' }))
}

/** Evaluates in batches; a batch the engine refuses is split until the failing expression is alone. */
export const evaluateWithOracle = async (
  parts: FormParts,
  expressions: readonly string[],
): Promise<OracleResult[]> => {
  try {
    return await runBatch(parts, expressions)
  } catch (error) {
    if (expressions.length === 1)
      return [{ error: error instanceof Error ? error.message : String(error) }]
    const middle = Math.ceil(expressions.length / 2)
    const left = await evaluateWithOracle(parts, expressions.slice(0, middle))
    const right = await evaluateWithOracle(parts, expressions.slice(middle))
    return [...left, ...right]
  }
}
