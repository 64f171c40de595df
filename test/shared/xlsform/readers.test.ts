import { readFileSync } from 'node:fs'
import path from 'node:path'
import { zipSync, strToU8 } from 'fflate'
import { describe, expect, it } from 'vitest'
import {
  readCsv,
  readFormFile,
  readMarkdown,
  readXls,
  readXlsx,
} from '../../../shared/xlsform/index'
import { corpusDir } from './helpers'

function xlsx(sheets: Record<string, string[][]>): Uint8Array {
  const names = Object.keys(sheets)
  const shared: string[] = []
  const files: Record<string, Uint8Array> = {
    'xl/workbook.xml': strToU8(
      `<workbook xmlns:r="r"><sheets>${names.map((n, i) => `<sheet name="${n}" sheetId="${i + 1}" r:id="rId${i + 1}"/>`).join('')}</sheets></workbook>`,
    ),
    'xl/_rels/workbook.xml.rels': strToU8(
      `<Relationships>${names.map((_, i) => `<Relationship Id="rId${i + 1}" Target="worksheets/sheet${i + 1}.xml"/>`).join('')}</Relationships>`,
    ),
  }
  names.forEach((name, i) => {
    const rows = (sheets[name] ?? [])
      .map((cells, r) => {
        const cs = cells.map((v, c) => {
          const ref = `${String.fromCharCode(65 + c)}${r + 1}`
          if (/^\d+$/.test(v)) return `<c r="${ref}"><v>${v}</v></c>`
          shared.push(v)
          return `<c r="${ref}" t="s"><v>${shared.length - 1}</v></c>`
        })
        return `<row r="${r + 1}">${cs.join('')}</row>`
      })
      .join('')
    files[`xl/worksheets/sheet${i + 1}.xml`] = strToU8(
      `<worksheet><sheetData>${rows}</sheetData></worksheet>`,
    )
  })
  files['xl/sharedStrings.xml'] = strToU8(
    `<sst>${shared.map((s) => `<si><t>${s.replace(/&/g, '&amp;').replace(/</g, '&lt;')}</t></si>`).join('')}</sst>`,
  )
  return zipSync(files)
}

describe('spreadsheet readers', () => {
  it('reads every sheet of an xlsx with shared strings, numbers and row numbers', () => {
    const wb = readXlsx(
      xlsx({
        survey: [
          ['type', 'name', 'label'],
          ['integer', 'age', 'Age & <years>'],
          ['', '', ''],
          ['text', 'n', '42'],
        ],
      }),
    )
    const survey = wb.sheets[0]
    expect(survey?.name).toBe('survey')
    expect(survey?.headers).toEqual(['type', 'name', 'label'])
    expect(survey?.rows).toEqual([
      { row: 2, cells: { type: 'integer', name: 'age', label: 'Age & <years>' } },
      { row: 4, cells: { type: 'text', name: 'n', label: '42' } },
    ])
  })

  it('reads the XLSForm CSV layout, quoted fields included', () => {
    const wb = readCsv(
      'survey,,,\n,type,name,label\n,text,q1,"Hello, ""you"""\nchoices,,,\n,list_name,name,label\n',
    )
    expect(wb.sheets.map((s) => s.name)).toEqual(['survey', 'choices'])
    expect(wb.sheets[0]?.rows[0]?.cells.label).toBe('Hello, "you"')
  })

  it('reads Markdown tables with escaped pipes and ignores comments', () => {
    const wb = readMarkdown(`
      | survey |
      | | type | name | label     |
      # a comment
      | | text | q1   | a \\| b    |
    `)
    expect(wb.sheets[0]?.rows[0]?.cells).toEqual({ type: 'text', name: 'q1', label: 'a | b' })
  })

  it('refuses a damaged legacy .xls with a message that says what to do', () => {
    const r = readFormFile('form.xls', new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 0, 0, 0, 0]))
    expect(r.ok).toBe(false)
    if (!r.ok) expect(r.message).toMatch(/save it again as \.xlsx/)
  })

  it('reports an unreadable file without a stack trace', () => {
    const r = readFormFile('broken.xlsx', new Uint8Array([0x50, 0x4b, 1, 2]))
    expect(r).toEqual({
      ok: false,
      message: expect.stringContaining('could not be read') as unknown,
    })
  })
})

describe('legacy .xls reader', () => {
  it('reads sheets, shared strings, numbers and time cells of a BIFF8 workbook', () => {
    const file = path.join(corpusDir, 'example_xls', 'default_time_demo.xls')
    const wb = readXls(new Uint8Array(readFileSync(file)))
    expect(wb.sheets.map((s) => s.name)).toEqual(['survey', 'settings'])
    expect(wb.sheets[0]?.rows[0]?.cells).toMatchObject({
      type: 'time',
      name: 'start_time',
      default: '09:30:00',
    })
  })

  it('keeps every sheet of a larger workbook', () => {
    const wb = readXls(
      new Uint8Array(readFileSync(path.join(corpusDir, 'example_xls', 'widgets.xls'))),
    )
    expect(wb.sheets.map((s) => [s.name, s.rows.length])).toEqual([
      ['survey', 40],
      ['choices', 18],
      ['settings', 1],
    ])
  })
})
