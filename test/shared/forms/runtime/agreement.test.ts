import { describe, expect, it } from 'vitest'
import { parseXForm } from '../../../../shared/forms/runtime/definition'
import { FormEngine } from '../../../../shared/forms/runtime/engine'
import { geojsonInstance } from '../../../../shared/forms/runtime/external'
import { serializeInstance } from '../../../../shared/forms/runtime/serialize'
import { compileWorkbook, readMarkdown } from '../../../../shared/xlsform/index'

/**
 * Cases where the differential run against ODK's engine found the runtime wrong; each test fails
 * without its fix (test/shared/forms/differential).
 */
function fromMarkdown(md: string) {
  const compiled = compileWorkbook(readMarkdown(md), { formName: 'data' })
  if (!compiled.xml) throw new Error(compiled.errors.map((e) => e.message).join('\n'))
  return parseXForm(compiled.xml)
}

const xform = (model: string, body: string) => `<?xml version="1.0"?>
<h:html xmlns="http://www.w3.org/2002/xforms" xmlns:h="http://www.w3.org/1999/xhtml" xmlns:jr="http://openrosa.org/javarosa">
  <h:head><h:title>t</h:title><model>${model}</model></h:head>
  <h:body>${body}</h:body>
</h:html>`

const leaf = (engine: FormEngine, path: string, index = 0) => {
  const node = engine.nodesAt(path)[index]
  if (!node) throw new Error(`no node at ${path}`)
  return node
}

describe('runtime fixes found by the differential run', () => {
  it('adds a repeat instance after every instance of a repeat without jr:template was removed', () => {
    const engine = new FormEngine(
      parseXForm(
        xform(
          `<instance><root id="r"><rep><a>x</a><b/></rep><meta><instanceID/></meta></root></instance>
           <bind nodeset="/root/rep/a" type="string"/>`,
          `<group ref="/root/rep"><repeat nodeset="/root/rep"><input ref="/root/rep/a"><label>a</label></input></repeat></group>`,
        ),
      ),
    )
    engine.removeRepeat(leaf(engine, '/root/rep'))
    expect(engine.nodesAt('/root/rep')).toHaveLength(0)
    engine.addRepeat('/root/rep', engine.root)
    expect(serializeInstance(engine)).toBe('<root id="r"><rep><a/><b/></rep><meta><instanceID/></meta></root>')
  })

  it('reads a question that is not relevant as empty, and reruns what reads it when relevance changes (JavaRosa getRefValue)', () => {
    const engine = new FormEngine(
      fromMarkdown(`
| survey |
|        | type        | name  | label | relevant      | calculation      |
|        | text        | q0    | Q0    |               |                  |
|        | decimal     | q1    | Q1    | \${q0} = 'yes' |                  |
|        | text        | q2    | Q2    | \${q1} > 1.5   |                  |
|        | begin_group | g     | G     | \${q0} = 'yes' |                  |
|        | integer     | q3    | Q3    |               |                  |
|        | end_group   |       |       |               |                  |
|        | calculate   | twice |       |               | \${q1} * 2       |
|        | calculate   | inner |       |               | concat('[', \${q3}, ']') |
`),
    )
    engine.setValue(leaf(engine, '/data/q0'), 'yes')
    engine.setValue(leaf(engine, '/data/q1'), '2')
    engine.setValue(leaf(engine, '/data/g/q3'), '5')
    expect(engine.isRelevant(leaf(engine, '/data/q2'))).toBe(true)
    expect(leaf(engine, '/data/twice').value).toBe('4')
    expect(leaf(engine, '/data/inner').value).toBe('[5]')
    engine.setValue(leaf(engine, '/data/q0'), 'no')
    // q1 keeps its answer (a draft keeps it) but reads as empty while it is not relevant.
    expect(leaf(engine, '/data/q1').value).toBe('2')
    expect(engine.isRelevant(leaf(engine, '/data/q2'))).toBe(false)
    expect(leaf(engine, '/data/twice').value).toBe('')
    expect(leaf(engine, '/data/inner').value).toBe('[]')
    engine.setValue(leaf(engine, '/data/q0'), 'yes')
    expect(engine.isRelevant(leaf(engine, '/data/q2'))).toBe(true)
    expect(leaf(engine, '/data/twice').value).toBe('4')
    expect(leaf(engine, '/data/inner').value).toBe('[5]')
  })

  it('keeps a location as JavaRosa writes it: Java doubles, and only zeros as no location (GeoPointData)', () => {
    const engine = new FormEngine(
      fromMarkdown(`
| survey |
|        | type      | name     | label | calculation                     |
|        | geopoint  | point    | Point |                                 |
|        | geoshape  | shape    | Shape |                                 |
|        | calculate | accuracy |       | selected-at(\${point}, 3)        |
`),
    )
    engine.setValue(leaf(engine, '/data/point'), '-1.2 36.8 1500 10')
    expect(leaf(engine, '/data/point').value).toBe('-1.2 36.8 1500.0 10.0')
    expect(leaf(engine, '/data/accuracy').value).toBe('10.0')
    engine.setValue(leaf(engine, '/data/point'), '0 0 0 0')
    expect(leaf(engine, '/data/point').value).toBe('')
    engine.setValue(leaf(engine, '/data/shape'), '1 1 0 0;1 2 0 0;2 2 0 0;1 1 0 0')
    expect(leaf(engine, '/data/shape').value).toBe('1.0 1.0 0.0 0.0;1.0 2.0 0.0 0.0;2.0 2.0 0.0 0.0;1.0 1.0 0.0 0.0')
  })

  it('reads a GeoJSON attachment as ODK does: an item per feature with its geometry, id and properties', () => {
    const root = geojsonInstance(
      JSON.stringify({
        type: 'FeatureCollection',
        features: [
          { type: 'Feature', geometry: { type: 'Point', coordinates: [102, 0.5] }, properties: { id: 'fs87b', name: 'Well' } },
          { type: 'Feature', id: 67, geometry: { type: 'LineString', coordinates: [[1, 2], [3, 4]] }, properties: { name: 'Road', lanes: 2 } },
        ],
      }),
    )
    const text = (item: number, name: string) => {
      const element = root.children[item]
      if (!element || typeof element === 'string') return undefined
      const child = element.children.find((c) => typeof c !== 'string' && c.name === name)
      return child && typeof child !== 'string' ? child.children.filter((c) => typeof c === 'string').join('') : undefined
    }
    expect(root.children).toHaveLength(2)
    expect([text(0, 'geometry'), text(0, 'id'), text(0, 'name')]).toEqual(['0.5 102 0 0', 'fs87b', 'Well'])
    expect([text(1, 'geometry'), text(1, 'id'), text(1, 'lanes')]).toEqual(['2 1 0 0; 4 3 0 0', '67', '2'])
    expect(() => geojsonInstance('{"type":"Feature"}')).toThrow(/FeatureCollection/)
  })

  it('computes a relative jr:count from the repeat, keeps instances on a count that is no number, and regrows the declared instances', () => {
    const engine = new FormEngine(
      parseXForm(
        xform(
          `<instance><data id="c"><count>2</count><rep jr:template=""><a>template</a></rep><rep><a>first</a></rep><meta><instanceID/></meta></data></instance>
           <bind nodeset="/data/count" type="string"/><bind nodeset="/data/rep/a" type="string"/>`,
          `<input ref="/data/count"><label>n</label></input>
           <group ref="/data/rep"><repeat nodeset="/data/rep" jr:count="current()/../count"><input ref="a"><label>a</label></input></repeat></group>`,
        ),
      ),
    )
    const texts = () => engine.nodesAt('/data/rep/a').map((node) => node.value)
    expect(texts()).toEqual(['first', 'template'])
    engine.setValue(leaf(engine, '/data/count'), 'many')
    expect(texts()).toEqual(['first', 'template'])
    engine.setValue(leaf(engine, '/data/count'), '')
    expect(texts()).toEqual(['first', 'template'])
    engine.setValue(leaf(engine, '/data/count'), '0')
    expect(texts()).toEqual([])
    engine.setValue(leaf(engine, '/data/count'), '3')
    expect(texts()).toEqual(['first', 'template', 'template'])
  })

  it('stores calculate and setvalue results as JavaRosa (NaN is no answer, integers drop the fraction) and reads typed defaults', () => {
    const engine = new FormEngine(
      parseXForm(
        xform(
          `<instance><data id="t"><a/><b/><c/><n>foo</n><d>2022-03-14T01:02:55</d><g>1 2 3 4</g><meta><instanceID/></meta></data></instance>
           <bind nodeset="/data/a" type="dateTime"/><bind nodeset="/data/b" type="int"/><bind nodeset="/data/c" type="int" calculate="/data/b div 2"/>
           <bind nodeset="/data/n" type="int"/><bind nodeset="/data/d" type="date"/><bind nodeset="/data/g" type="geopoint"/>`,
          `<input ref="/data/a"><label>a</label><setvalue event="xforms-value-changed" ref="/data/b" value="decimal-date-time(/data/a)"/></input>`,
        ),
      ),
    )
    expect([leaf(engine, '/data/n').value, leaf(engine, '/data/d').value, leaf(engine, '/data/g').value]).toEqual(['', '2022-03-14', '1.0 2.0 3.0 4.0'])
    engine.setValue(leaf(engine, '/data/a'), '1999-12-31T23:59:59.000Z')
    expect(leaf(engine, '/data/b').value).toBe('10956')
    expect(leaf(engine, '/data/c').value).toBe('5478')
    engine.setValue(leaf(engine, '/data/a'), '')
    expect(leaf(engine, '/data/b').value).toBe('')
  })

  it('runs a value-changed setvalue in the repeat instance of the question that changed', () => {
    const engine = new FormEngine(
      parseXForm(
        xform(
          `<instance><data id="t"><r><q1/><q2/></r><r><q1/><q2/></r><meta><instanceID/></meta></data></instance>
           <bind nodeset="/data/r/q1" type="int"/><bind nodeset="/data/r/q2" type="string"/>`,
          `<group ref="/data/r"><repeat nodeset="/data/r"><input ref="/data/r/q1"><label>1</label><setvalue event="xforms-value-changed" ref="/data/r/q2"/></input>
           <input ref="/data/r/q2"><label>2</label></input></repeat></group>`,
        ),
      ),
    )
    engine.setValue(leaf(engine, '/data/r/q2', 0), 'first')
    engine.setValue(leaf(engine, '/data/r/q2', 1), 'second')
    engine.setValue(leaf(engine, '/data/r/q1', 1), '5')
    expect(engine.nodesAt('/data/r/q2').map((n) => n.value)).toEqual(['first', ''])
  })

  it('answers child steps from an index of children by name that follows added and removed repeat instances', () => {
    const engine = new FormEngine(
      parseXForm(
        xform(
          `<instance><data id="t"><r><a>1</a></r><total/><meta><instanceID/></meta></data></instance>
           <bind nodeset="/data/r/a" type="int"/><bind nodeset="/data/total" type="int" calculate="sum(/data/r/a)"/>`,
          `<group ref="/data/r"><repeat nodeset="/data/r"><input ref="/data/r/a"><label>a</label></input></repeat></group>`,
        ),
      ),
    )
    expect(engine.root.childrenNamed('r')).toHaveLength(1)
    const added = engine.addRepeat('/data/r', engine.root)
    engine.setValue(leaf(engine, '/data/r/a', 1), '4')
    expect(engine.root.childrenNamed('r')).toEqual([leaf(engine, '/data/r', 0), added])
    expect(leaf(engine, '/data/total').value).toBe('5')
    engine.removeRepeat(leaf(engine, '/data/r', 0))
    expect(engine.root.childrenNamed('r')).toEqual([added])
    expect(leaf(engine, '/data/total').value).toBe('4')
  })

  it('sums a repeat as JavaRosa: a blank answer makes sum, min and max no answer, no instance at all sums to 0 (XPathSumFunc, XPathMinFunc)', () => {
    const engine = new FormEngine(
      parseXForm(
        xform(
          `<instance><data id="t"><r><a>2</a></r><total/><least/><most/><meta><instanceID/></meta></data></instance>
           <bind nodeset="/data/r/a" type="int"/><bind nodeset="/data/total" type="string" calculate="sum(/data/r/a)"/>
           <bind nodeset="/data/least" type="string" calculate="min(/data/r/a)"/><bind nodeset="/data/most" type="string" calculate="max(/data/r/a)"/>`,
          `<group ref="/data/r"><repeat nodeset="/data/r"><input ref="/data/r/a"><label>a</label></input></repeat></group>`,
        ),
      ),
    )
    const totals = () => ['total', 'least', 'most'].map((name) => leaf(engine, `/data/${name}`).value)
    expect(totals()).toEqual(['2', '2', '2'])
    engine.addRepeat('/data/r', engine.root)
    expect(totals()).toEqual(['', '', ''])
    engine.setValue(leaf(engine, '/data/r/a', 1), '5')
    expect(totals()).toEqual(['7', '2', '5'])
    engine.removeRepeat(leaf(engine, '/data/r', 1))
    engine.removeRepeat(leaf(engine, '/data/r', 0))
    expect(totals()).toEqual(['0', '', ''])
  })
})
