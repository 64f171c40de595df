import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { compileWorkbook, readFormFile } from '../../shared/xlsform'
import { buildFormModel, formatValue } from '../../renderer/src/screens/records/form-model'
import { makeVillageFormMarkdown, villagesCsv } from '../helpers/forms'
import { repoRoot } from '../helpers/paths'

function householdXForm(): string {
  const read = readFormFile(
    'household.md',
    new Uint8Array(readFileSync(join(repoRoot, 'test/fixtures/forms/household.md'))),
  )
  if (!read.ok) throw new Error(read.message)
  const compiled = compileWorkbook(read.workbook)
  if (!compiled.xml) throw new Error('household.md did not compile')
  return compiled.xml
}

const text = { yes: 'Yes', no: 'No', repeat: (n: number) => `${n} entries` }

describe('records form model', () => {
  const xform = householdXForm()

  it('makes one column per top-level question, repeats counted, with the labels of the interface language', () => {
    const model = buildFormModel(xform, 'en')
    expect(model.columns.map((c) => [c.path, c.label, c.kind])).toEqual([
      ['head/hh_name', 'Name of the household head', 'scalar'],
      ['head/hh_size', 'Household size', 'scalar'],
      ['place/district', 'District', 'select'],
      ['place/village', 'Village', 'select'],
      ['member', 'Member', 'repeat'],
      ['water', 'Has drinking water?', 'select'],
      ['water_source', 'Water source', 'scalar'],
    ])
    expect(model.labelOf('m_age')).toBe('Age')
  })

  it('shows every choice label, even those hidden by a choice filter, in Arabic for an Arabic interface', () => {
    const model = buildFormModel(xform, 'ar')
    expect(model.language).toBe('Arabic (ar)')
    const village = model.column('place/village')
    expect([...(village?.choices.values() ?? [])]).toEqual(['قرية الشمال', 'التل', 'ميناء الجنوب'])
    expect(formatValue('s1', village, text)).toBe('ميناء الجنوب')
    expect(formatValue([{ m_name: 'a' }, { m_name: 'b' }], model.column('member'), text)).toBe(
      '2 entries',
    )
    expect(formatValue(null, undefined, text)).toBe('')
  })

  it('labels answers chosen from a file the form reads (villages.csv)', () => {
    const read = readFormFile('villages.md', new TextEncoder().encode(makeVillageFormMarkdown()))
    if (!read.ok) throw new Error(read.message)
    const villageXForm = compileWorkbook(read.workbook).xml ?? ''
    const without = buildFormModel(villageXForm, 'en')
    expect(formatValue('n2', without.column('village'), text)).toBe('n2') // no file: the code
    const model = buildFormModel(villageXForm, 'en', null, [{ name: 'villages.csv', text: villagesCsv, source: 'file' }])
    expect(formatValue('n2', model.column('village'), text)).toBe('Nordham')
    expect(formatValue('s1', model.column('village'), text)).toBe('Sudburg')
  })
})

