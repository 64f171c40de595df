import { describe, expect, it } from 'vitest'
import { parseXForm } from '../../shared/forms/runtime/definition'
import { FormEngine } from '../../shared/forms/runtime/engine'
import { projectInstance, serializeInstance } from '../../shared/forms/runtime/serialize'
import { compileWorkbook, readMarkdown } from '../../shared/xlsform/index'
import { hydrateFromValues } from '../../renderer/src/form/hydrate'
import { householdRegistrationMarkdown as registration } from '../helpers/forms'

function open(): FormEngine {
  const compiled = compileWorkbook(readMarkdown(registration), { formName: 'data' })
  if (!compiled.xml) throw new Error(compiled.errors.map((e) => e.message).join('\n'))
  return new FormEngine(parseXForm(compiled.xml))
}

const entityId = (xml: string) => /<entity [^>]*\bid="([^"]*)"/.exec(xml)?.[1]

describe('an entity form reopened from its stored answers', () => {
  it('keeps the entity id it was created with, not a new one', () => {
    const first = open()
    first.setValue(first.nodesAt('/data/hh_name')[0]!, 'Amina')
    first.setValue(first.nodesAt('/data/size')[0]!, '4')
    const values = projectInstance(first)
    const id = entityId(serializeInstance(first))
    expect(id).toMatch(/^[0-9a-f-]{36}$/)
    expect(values).toMatchObject({ 'meta/entity/@id': id, 'meta/entity/@dataset': 'households', 'meta/entity/@create': '1', 'meta/entity/label': 'Amina' })

    // Another laptop, or this one without the instance XML: a new engine draws a new uuid at load.
    const reopened = open()
    expect(entityId(serializeInstance(reopened))).not.toBe(id)
    hydrateFromValues(reopened, values)
    expect(entityId(serializeInstance(reopened))).toBe(id)
    expect(projectInstance(reopened)).toEqual(values)
  })
})
