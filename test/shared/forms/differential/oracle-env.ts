import { createRequire } from 'node:module'
import path from 'node:path'

/**
 * @getodk/xforms-engine under Node: it expects the browser's DOM classes on globalThis (jsdom's)
 * and finds its tree-sitter WASM beside `globalThis.__dirname`. Only the slice of its client API
 * the differential driver uses is typed here; everything else stays `unknown`.
 */
type JsdomWindow = Record<string, unknown> & { readonly document: unknown }
const require = createRequire(import.meta.url)
// jsdom ships no types; the constructor is all that is needed.
const { JSDOM } = require('jsdom') as { JSDOM: new (html: string) => { window: JsdomWindow } }

let installed = false
function installDom(): void {
  if (installed) return
  installed = true
  const window = new JSDOM('').window
  const globals = globalThis as Record<string, unknown>
  const names = ['DOMParser', 'XMLSerializer', 'Node', 'Document', 'Element', 'XPathResult', 'Attr', 'Text', 'XMLDocument']
  for (const name of names) globals[name] = window[name]
  globals.document = window.document
  globals.__dirname = path.dirname(require.resolve('@getodk/xforms-engine'))
}

export type OdkValidity = { readonly valid: boolean }
export type OdkItem = { readonly value: string }
export type OdkNode = {
  readonly nodeType: string
  readonly nodeId: string
  readonly definition: { readonly bind?: { readonly type?: { readonly resolved?: string } } }
  readonly currentState: {
    readonly reference: string
    readonly relevant: boolean
    readonly required: boolean
    readonly readonly: boolean
    readonly children: readonly OdkNode[] | null
    readonly valueOptions: unknown
    readonly value: unknown
  }
  readonly instanceState?: { readonly instanceXML: string }
  readonly validationState?: { readonly constraint?: OdkValidity; readonly required?: OdkValidity }
  readonly setValue?: (value: unknown) => unknown
  readonly selectValues?: (values: readonly string[]) => unknown
  readonly addInstances?: (afterIndex?: number, count?: number) => unknown
  readonly removeInstances?: (startIndex: number, count?: number) => unknown
}
export type OdkRoot = OdkNode & { readonly instanceState: { readonly instanceXML: string } }

type OdkResponse = { readonly ok: boolean; readonly status: number; text: () => Promise<string>; blob: () => Promise<Blob> }
type Engine = {
  createInstance: (
    xml: string,
    options: {
      form: { fetchFormAttachment: (url: URL) => Promise<OdkResponse>; missingResourceBehavior: 'BLANK' }
      instance: { preloadProperties: { deviceID: string; username: string } }
    },
  ) => Promise<{ readonly root: OdkRoot }>
}

let engine: Promise<Engine> | undefined

/** Creates an ODK form instance; `attachment` answers jr:// URLs (undefined: missing, left blank). */
export async function createOdkInstance(xml: string, attachment: (url: string) => string | undefined): Promise<OdkRoot> {
  installDom()
  engine ??= import('@getodk/xforms-engine') as unknown as Promise<Engine>
  const { createInstance } = await engine
  const fetchFormAttachment = (url: URL): Promise<OdkResponse> => {
    const text = attachment(url.href)
    const response = new Response(text ?? '', { status: text === undefined ? 404 : 200 })
    return Promise.resolve(response)
  }
  const instance = await createInstance(xml, {
    form: { fetchFormAttachment, missingResourceBehavior: 'BLANK' },
    instance: { preloadProperties: { deviceID: 'device-1', username: 'amina' } },
  })
  return instance.root
}
