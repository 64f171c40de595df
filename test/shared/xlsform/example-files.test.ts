import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import {
  compileWorkbook,
  formatDiagnostic,
  formNameFromFile,
  readFormFile,
} from '../../../shared/xlsform/index'
import { corpusDir, hasCorpus } from './helpers'

/** Example spreadsheets pyxform rejects, and the problem an author should be told about. */
const rejected: Record<string, RegExp> = {
  // pyxform dropped the `include` question type; its spreadsheets no longer convert.
  'include.xlsx': /Unknown question type 'include'/,
  'include_json.xlsx': /Unknown question type 'include'/,
  'include.xls': /Unknown question type 'include'/,
  'include_json.xls': /Unknown question type 'include'/,
  // Its survey sheet holds settings-sheet rows as question types, on purpose.
  'unknown_question_type.xls': /Unknown question type 'set form title'/,
}

const dir = path.join(corpusDir, 'example_xls')
const xlsxFiles = hasCorpus
  ? readdirSync(dir).filter((f) => f.endsWith('.xlsx') || f.endsWith('.xls'))
  : []

describe('pyxform example spreadsheets', () => {
  for (const file of xlsxFiles) {
    const expected = rejected[file]
    it(expected ? `${file} is rejected with a clear message` : `${file} compiles`, () => {
      const read = readFormFile(file, new Uint8Array(readFileSync(path.join(dir, file))))
      expect(read.ok).toBe(true)
      if (!read.ok) return
      const stem = formNameFromFile(file)
      const result = compileWorkbook(read.workbook, { formName: stem, formId: stem })
      const messages = result.errors.map(formatDiagnostic)
      if (expected) {
        expect(result.ok).toBe(false)
        expect(messages.some((m) => expected.test(m) && /^survey row \d+/.test(m))).toBe(true)
      } else {
        expect(messages).toEqual([])
        expect(result.xml).toContain('<h:html')
      }
    })
  }
})
