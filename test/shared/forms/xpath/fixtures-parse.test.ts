import { readdirSync, readFileSync, statSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { compileXPath, XPathSyntaxError } from '../../../../shared/forms/xpath'
import { sharedDir } from '../../../helpers/paths'

const FIXTURES = path.join(sharedDir, 'conformance/odk-fixtures')
const ATTRIBUTES = [
  'calculate',
  'relevant',
  'constraint',
  'readonly',
  'required',
  'nodeset',
  'ref',
  'value',
  'jr:count',
]

const xmlFiles = (dir: string): string[] =>
  readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name)
    if (statSync(full).isDirectory()) return xmlFiles(full)
    return name.endsWith('.xml') ? [full] : []
  })

const unescape = (text: string): string =>
  text
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&')

/** Expressions in model and body attributes; `ref`s that are itext or jr: URLs are not XPath. */
const expressionsIn = (xml: string): string[] => {
  const out: string[] = []
  for (const attribute of ATTRIBUTES) {
    const pattern = new RegExp(`\\s${attribute}="([^"]*)"`, 'g')
    for (const match of xml.matchAll(pattern)) {
      const value = unescape(match[1] ?? '').trim()
      if (value !== '' && !value.startsWith('jr:') && !/^[a-z]+:\/\//.test(value)) out.push(value)
    }
  }
  return out
}

/** Fixtures whose expressions are wrong on purpose, to test error reporting in ODK's engine. */
const DELIBERATELY_BROKEN = /nope\(|\bundefined-function|unknown-function|syntax-error/

describe('the ODK fixtures', () => {
  it('hold expressions that all parse and compile, apart from deliberately broken ones', () => {
    const failures: string[] = []
    let count = 0
    for (const file of xmlFiles(FIXTURES)) {
      for (const expr of expressionsIn(readFileSync(file, 'utf8'))) {
        count += 1
        try {
          compileXPath(expr)
        } catch (error) {
          const why = error instanceof XPathSyntaxError ? 'syntax' : 'compile'
          if (!DELIBERATELY_BROKEN.test(expr) && !DELIBERATELY_BROKEN.test(file))
            failures.push(`${path.relative(FIXTURES, file)}: ${why}: ${expr}: ${String(error)}`)
        }
      }
    }
    console.log(`${count} fixture expressions compiled`)
    expect(count).toBeGreaterThan(1000)
    expect(failures).toEqual([])
  })
})
