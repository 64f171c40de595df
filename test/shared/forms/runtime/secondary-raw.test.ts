import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { FormLoadError, parseXForm } from '../../../../shared/forms/runtime/definition'
import { buildInstance, buildInstanceFromRaw, type InstanceNode } from '../../../../shared/forms/runtime/instance'
import { parseXml } from '../../../../shared/forms/runtime/xml'
import { scanRaw } from '../../../../shared/forms/runtime/xml-scan'
import { sharedDir } from '../../../helpers/paths'

/**
 * Secondary instances are kept unparsed by parseXForm and read straight into runtime nodes
 * (buildInstanceFromRaw). These tests hold that fast path to the tree it replaced.
 */
const fixturesDir = join(sharedDir, 'conformance/odk-fixtures')

function xformFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name)
    if (statSync(full).isDirectory()) return xformFiles(full)
    return name.endsWith('.xml') && readFileSync(full, 'utf8').includes('<h:html') ? [full] : []
  })
}

/** Every node as one line: name, attributes, value, in document order. */
function dump(node: InstanceNode, depth = 0, out: string[] = []): string[] {
  const attrs = node.attributes.map((a) => `@${a.name}=${JSON.stringify(a.value)}`).join(' ')
  out.push(`${'  '.repeat(depth)}${node.name} ${attrs} ${node.children.length === 0 ? JSON.stringify(node.value) : ''}`)
  for (const child of node.children) dump(child, depth + 1, out)
  return out
}

describe('secondary instances read from unparsed XML', () => {
  it('give the same nodes as the parsed tree, for every inline secondary instance of the ODK fixtures', () => {
    let compared = 0
    for (const file of xformFiles(fixturesDir)) {
      let form
      try {
        form = parseXForm(readFileSync(file, 'utf8'))
      } catch (error) {
        if (error instanceof FormLoadError) continue
        throw error
      }
      for (const instance of form.secondary) {
        if (!instance.raw) continue
        const element = scanRaw(instance.raw)
        const fast = buildInstanceFromRaw(instance.raw, 1)
        if (!element) {
          expect(fast, `${file} ${instance.id}`).toBeUndefined()
          continue
        }
        const tree = buildInstance(element, 1, false)
        expect(fast && dump(fast.root.children[0] as InstanceNode), `${file} ${instance.id}`).toEqual(dump(tree.root.children[0] as InstanceNode))
        compared++
      }
    }
    expect(compared).toBeGreaterThan(50)
  })

  it('reads entities, attributes and prefixes, parses content with CDATA or comments as before, and keeps the first instance parsed', () => {
    const xml = `<h:html xmlns:h="h"><h:head><model>
      <instance id="main"><data id="d"><a/></data></instance>
      <instance id="list"><root><item x:k="1 &amp; 2"><name>a&lt;b</name><label>&#x41;</label></item><item><name>
        two </name></item></root></instance>
      <instance id="marked"><root><item><label><![CDATA[<i>]]></label><!-- </instance> --></item></root></instance>
      <instance id="empty">   </instance>
    </model></h:head><h:body/></h:html>`
    const form = parseXForm(xml)
    expect(form.primary.name).toBe('data')
    const list = form.secondary.find((s) => s.id === 'list')
    expect(list?.raw).toBeDefined()
    const doc = buildInstanceFromRaw(list!.raw!, 1)!
    expect(dump(doc.root.children[0] as InstanceNode)).toEqual([
      'root  ',
      '  item @x:k="1 & 2" ',
      '    name  "a<b"',
      '    label  "A"',
      '  item  ',
      '    name  "two"',
    ])
    const marked = form.secondary.find((s) => s.id === 'marked')
    expect(marked?.raw).toBeUndefined()
    expect(dump(buildInstance(marked!.element!, 1, false).root.children[0] as InstanceNode)).toEqual(['root  ', '  item  ', '    label  "<i>"'])
    expect(buildInstanceFromRaw(form.secondary.find((s) => s.id === 'empty')!.raw!, 1)).toBeUndefined()
    expect(parseXml(xml).name).toBe('h:html')
  })

  it('refuses a form whose unparsed content is malformed at load, naming its line in the whole form', () => {
    const xml = `<h:html><h:head><model>\n<instance><data/></instance>\n<instance id="l"><root>\n<item></itm>\n</root></instance></model></h:head></h:html>`
    expect(() => parseXForm(xml)).toThrow(FormLoadError)
    expect(() => parseXForm(xml)).toThrow(/not well-formed XML: <\/itm> closes <item> \(line 4/)
    const twoRoots = `<h:html><h:head><model><instance><data/></instance><instance id="l"><a/><b/></instance></model></h:head></h:html>`
    expect(() => parseXForm(twoRoots)).toThrow(/more than one root/)
  })
})
