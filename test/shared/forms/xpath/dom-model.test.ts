import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { compileXPath, modelFromDocument, modelFromXForm } from '../../../../shared/forms/xpath'
import { sharedDir } from '../../../helpers/paths'
import { parseXml } from './oracle'

const fixture = (name: string): string =>
  readFileSync(join(sharedDir, 'conformance/odk-fixtures', name), 'utf8')

describe('DOM-backed models', () => {
  it('builds the primary and secondary instances of an XForm', () => {
    const model = modelFromXForm(parseXml(fixture('select/2-dynamic-selects-itemsets.xml')))
    const count = compileXPath("count(instance('state')/root/item)").evaluateNumber({ model })
    expect(count).toBeGreaterThan(0)
    expect(compileXPath('name(/*)').evaluateString({ model })).toBe(
      compileXPath('local-name(/*)').evaluateString({ model }),
    )
  })

  it('keeps attributes with prefixes, drops namespace declarations and comments', () => {
    const model = modelFromDocument(
      parseXml(
        '<data xmlns="urn:x" xmlns:orx="urn:orx" orx:version="2"><!-- note --><a>1<![CDATA[2]]></a></data>',
      ),
    )
    expect(compileXPath('count(/data/@*)').evaluateNumber({ model })).toBe(1)
    expect(compileXPath('/data/@orx:version').evaluateString({ model })).toBe('2')
    expect(compileXPath('/data/a').evaluateString({ model })).toBe('12')
  })
})
