import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { parseXForm } from '../../../../shared/forms/runtime/definition'
import { FormEngine } from '../../../../shared/forms/runtime/engine'
import { projectInstance, serializeInstance } from '../../../../shared/forms/runtime/serialize'
import { compileWorkbook, readMarkdown } from '../../../../shared/xlsform/index'
import { sharedDir } from '../../../helpers/paths'

const fixture = (path: string) => parseXForm(readFileSync(join(sharedDir, 'conformance/odk-fixtures', path), 'utf8'))

function fromMarkdown(md: string) {
  const compiled = compileWorkbook(readMarkdown(md), { formName: 'data' })
  if (!compiled.xml) throw new Error(compiled.errors.map((e) => e.message).join('\n'))
  return parseXForm(compiled.xml)
}

const leaf = (engine: FormEngine, path: string) => {
  const node = engine.nodesAt(path)[0]
  if (!node) throw new Error(`no node at ${path}`)
  return node
}

describe('the form engine', () => {
  it('recomputes a calculation and a relevance when their input changes', () => {
    const engine = new FormEngine(fixture('computations/3-relevant-calculate.xml'))
    const third = leaf(engine, '/root/third-question')
    expect(third.value).toBe('0')
    expect(engine.isRelevant(third)).toBe(false)
    engine.setValue(leaf(engine, '/root/first-question'), '7')
    expect(third.value).toBe('21')
    engine.setValue(leaf(engine, '/root/second-question'), 'yes')
    expect(engine.isRelevant(third)).toBe(true)
  })

  it('runs a compiled XLSForm: constraint, required, repeat with count, instanceID', () => {
    const engine = new FormEngine(
      fromMarkdown(`
| survey |
|        | type         | name    | label   | constraint | required | repeat_count | calculation |
|        | integer      | size    | Size    | . > 0      | yes      |              |             |
|        | begin repeat | member  | Members |            |          | \${size}     |             |
|        | text         | name    | Name    |            |          |              |             |
|        | end repeat   |         |         |            |          |              |             |
|        | calculate    | total   |         |            |          |              | count(\${member}) |
`),
      { newUuid: () => '00000000-0000-4000-8000-000000000000' },
    )
    const size = leaf(engine, '/data/size')
    expect(engine.stateOf(size).required).toBe(true)
    engine.setValue(size, '-1')
    expect(engine.stateOf(size).constraintOk).toBe(false)
    engine.setValue(size, '3')
    expect(engine.stateOf(size).constraintOk).toBe(true)
    expect(engine.nodesAt('/data/member')).toHaveLength(3)
    expect(leaf(engine, '/data/total').value).toBe('3')
    engine.setValue(size, '1')
    expect(engine.nodesAt('/data/member')).toHaveLength(1)
    expect(leaf(engine, '/data/total').value).toBe('1')
    expect(leaf(engine, '/data/meta/instanceID').value).toBe('uuid:00000000-0000-4000-8000-000000000000')
    engine.setValue(leaf(engine, '/data/member/name'), 'Amina')
    expect(serializeInstance(engine)).toContain('<member><name>Amina</name></member>')
    expect(projectInstance(engine)).toMatchObject({ size: 1, member: [{ name: 'Amina' }], total: '1', 'meta/instanceID': 'uuid:00000000-0000-4000-8000-000000000000' })
  })

  it('leaves non-relevant answers out of a submission but keeps them in a draft', () => {
    const engine = new FormEngine(fixture('computations/3-relevant-calculate.xml'))
    engine.setValue(leaf(engine, '/root/first-question'), '2')
    expect(serializeInstance(engine)).not.toContain('third-question')
    expect(serializeInstance(engine, { keepIrrelevant: true })).toContain('<third-question>6</third-question>')
  })
})
