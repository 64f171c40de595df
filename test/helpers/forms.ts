import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { openXlsxWriter } from '../../electron/core/records/export/xlsx-writer'
import { readMarkdown } from '../../shared/xlsform/read-markdown'

/** A small XLSForm in pyxform's Markdown layout, with the settings a test needs. */
export function makeFormMarkdown(options: { formId?: string; version?: string; title?: string; relevant?: string } = {}): string {
  const { formId = 'household', version = '1', title = 'Household survey', relevant = '${size} > 3' } = options
  return [
    '| survey |',
    '|        | type    | name    | label          | relevant |',
    '|        | text    | hh_name | Household head |          |',
    '|        | integer | size    | Household size |          |',
    `|        | text    | remark  | Remark         | ${relevant.replace(/\|/g, '\\|')} |`,
    '| settings |',
    '|          | form_id | version | form_title |',
    `|          | ${formId} | ${version} | ${title} |`,
    '',
  ].join('\n')
}

export const toBase64 = (text: string): string => Buffer.from(text, 'utf8').toString('base64')

/** A form whose village list comes from villages.csv (select_one_from_file), filtered by district. */
export function makeVillageFormMarkdown(options: { version?: string; title?: string } = {}): string {
  const { version = '1', title = 'Village visits' } = options
  return [
    '| survey |',
    '|        | type                              | name     | label    | choice_filter          |',
    '|        | select_one districts              | district | District |                        |',
    '|        | select_one_from_file villages.csv | village  | Village  | district = ${district} |',
    '| choices |',
    '|         | list_name | name  | label |',
    '|         | districts | north | North |',
    '|         | districts | south | South |',
    '| settings |',
    '|          | form_id  | version    | form_title |',
    `|          | villages | ${version} | ${title}   |`,
    '',
  ].join('\n')
}

/** The villages.csv that form reads (with the byte-order mark spreadsheet programs write). */
export const villagesCsv = '\uFEFFname,label,district\nn1,Nordville,north\nn2,Nordham,north\ns1,Sudburg,south\n'

/**
 * The same form as a real .xlsx, as a person would pick it: pyxform's Markdown tables read by the
 * compiler's own reader and written by the app's streaming XLSX writer (numbers as numbers).
 */
export async function markdownToXlsx(markdown: string, dir: string): Promise<Buffer> {
  const { sheets } = readMarkdown(markdown)
  const path = join(dir, `form-${sheets.length}-${Date.now()}.xlsx`)
  const writer = openXlsxWriter(
    path,
    sheets.map((s) => ({ name: s.name, header: s.headers })),
  )
  sheets.forEach((sheet, i) => {
    for (const { cells } of sheet.rows) {
      writer.row(
        i,
        sheet.headers.map((h) => {
          const text = cells[h]
          if (text === undefined) return null
          return /^-?\d+(\.\d+)?$/.test(text) && text.length < 15 ? Number(text) : text
        }),
      )
    }
  })
  await writer.close()
  return readFileSync(path)
}

/** Registers a household (the ODK entity spec's create), saving two answers as properties. */
export const householdRegistrationMarkdown = [
  '| survey |',
  '|        | type    | name    | label          | save_to |',
  '|        | text    | hh_name | Household head | head    |',
  '|        | integer | size    | Household size | size    |',
  '| entities |',
  '|          | list_name  | label      |',
  '|          | households | ${hh_name} |',
  '| settings |',
  '|          | form_id | version |',
  '|          | hh_reg  | 1       |',
].join('\n')

/** A follow-up visit (the entity spec's update): chooses the household from the register and saves its head and size. */
export const householdVisitMarkdown = [
  '| survey |',
  '|        | type                                | name | label     | save_to |',
  '|        | select_one_from_file households.csv | hh   | Household |         |',
  '|        | text                                | head | Head      | head    |',
  '|        | integer                             | size | Size      | size    |',
  '| entities |',
  '|          | list_name  | entity_id |',
  '|          | households | ${hh}     |',
  '| settings |',
  '|          | form_id  | version | form_title      |',
  '|          | hh_visit | 1       | Household visit |',
].join('\n')
