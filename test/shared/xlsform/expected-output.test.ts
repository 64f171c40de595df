import { readFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { compileWorkbook, formNameFromFile, readFormFile } from '../../../shared/xlsform/index'
import { corpusDir } from './helpers'
import { xformShape } from './xform-shape'

type Pair = { source: string; expected: string; formName?: string; legacyChoices?: boolean }

/** Whole forms whose pyxform output ships with the corpus, compared part by part (not byte for byte). */
const pairs: Pair[] = [
  { source: 'or_other.xlsx', expected: 'or_other.xml' },
  { source: 'pull_data.xlsx', expected: 'pull_data.xml' },
  { source: 'attribute_columns_test.xlsx', expected: 'attribute_columns_test.xml' },
  { source: 'xlsform_spec_test.xlsx', expected: 'xlsform_spec_test.xml' },
  { source: 'flat_xlsform_test.xlsx', expected: 'flat_xlsform_test.xml' },
  { source: 'widgets.xls', expected: 'widgets.xml' },
  { source: 'default_time_demo.xls', expected: 'default_time_demo.xml' },
  { source: 'repeat_date_test.xls', expected: 'repeat_date_test.xml' },
  { source: 'xml_escaping.xls', expected: 'xml_escaping.xml' },
  // This file predates pyxform 2: its selects list choices inline with per-question itext, where
  // pyxform now (and Outpost) writes an itemset over a secondary instance. All else must match.
  { source: 'table-list.xls', expected: 'table-list.xml', legacyChoices: true },
  // pyxform's test converts this one without a form name, so its root is the default `data`.
  { source: 'survey_no_name.xlsx', expected: 'survey_no_name.xml', formName: 'data' },
]

function compileExample(pair: Pair): string {
  const file = path.join(corpusDir, 'example_xls', pair.source)
  const read = readFormFile(pair.source, new Uint8Array(readFileSync(file)))
  if (!read.ok) throw new Error(read.message)
  const stem = formNameFromFile(pair.source)
  const result = compileWorkbook(read.workbook, { formName: pair.formName ?? stem, formId: stem })
  expect(result.errors).toEqual([])
  return result.xml ?? ''
}

describe('whole forms match pyxform’s output', () => {
  for (const pair of pairs) {
    it(`${pair.source}: same instance, binds, body and itext as pyxform`, () => {
      const ours = xformShape(compileExample(pair), pair.legacyChoices)
      const theirs = xformShape(
        readFileSync(path.join(corpusDir, 'expected_output', pair.expected), 'utf8'),
        pair.legacyChoices,
      )
      expect(ours.title).toBe(theirs.title)
      expect(ours.instance).toBe(theirs.instance)
      expect(ours.secondary).toEqual(theirs.secondary)
      expect(ours.binds).toEqual(theirs.binds)
      expect(ours.setvalues).toEqual(theirs.setvalues)
      expect(ours.body).toBe(theirs.body)
      expect(ours.itext).toEqual(theirs.itext)
    })
  }
})
