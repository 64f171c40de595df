import { existsSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { DOMParser } from '@xmldom/xmldom'
import * as xpath from 'xpath'
import { compileWorkbook, readMarkdown, type CompileResult } from '../../../shared/xlsform/index'
import { sharedDir } from '../../helpers/paths'

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..')
export const corpusDir = path.join(sharedDir, 'conformance/pyxform')
export const hasCorpus = existsSync(path.join(corpusDir, 'cases.jsonl'))

export const ns: Record<string, string> = {
  x: 'http://www.w3.org/2002/xforms',
  h: 'http://www.w3.org/1999/xhtml',
  jr: 'http://openrosa.org/javarosa',
  odk: 'http://www.opendatakit.org/xforms',
  orx: 'http://openrosa.org/xforms',
}

/** Compiles a Markdown-table form the way pyxform's tests write them. */
export function compileMd(md: string, formName = 'data'): CompileResult {
  return compileWorkbook(readMarkdown(md), { formName })
}

export function parseXml(xml: string): Document {
  return new DOMParser().parseFromString(xml, 'text/xml') as unknown as Document
}

/** Number of nodes an XPath (with the usual XForm prefixes) selects in the compiled XML. */
export function count(xml: string, expr: string): number {
  const r = xpath.useNamespaces(ns)(expr, parseXml(xml))
  return Array.isArray(r) ? r.length : 1
}
