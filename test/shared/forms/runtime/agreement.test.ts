import { describe, expect, it } from 'vitest'
import { parseXForm } from '../../../../shared/forms/runtime/definition'
import { FormEngine } from '../../../../shared/forms/runtime/engine'
import { serializeInstance } from '../../../../shared/forms/runtime/serialize'

/**
 * Cases where the differential run against ODK's engine found the runtime wrong; each test fails
 * without its fix (test/shared/forms/differential).
 */
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
})
