import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { main } from '../../../electron/core/cli/main'
import { readXlsx } from '../../../shared/xlsform/read-xlsx'
import { makeRecordsCore, type RecordsCore } from './setup'
import { testSupervisor } from '../../helpers/core'

let core: RecordsCore
beforeEach(async () => {
  core = await makeRecordsCore()
})
afterEach(() => core.dispose())

/** A small RFC 4180 reader: enough to read our own files back. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = []
  let row: string[] = []
  let cell = ''
  let quoted = false
  const body = text.replace(/^\uFEFF/, '')
  for (let i = 0; i < body.length; i++) {
    const ch = body[i] ?? ''
    if (quoted && ch === '"' && body[i + 1] === '"') {
      cell += '"'
      i++
    } else if (ch === '"') quoted = !quoted
    else if (quoted || (ch !== ',' && ch !== '\n' && ch !== '\r')) cell += ch
    else if (ch === ',') {
      row.push(cell)
      cell = ''
    } else if (ch === '\n') {
      row.push(cell)
      rows.push(row)
      row = []
      cell = ''
    }
  }
  return rows
}

const asObjects = (rows: string[][]) => {
  const [header = [], ...data] = rows
  return data.map((r) => Object.fromEntries(header.map((h, i) => [h, r[i] ?? ''])))
}

async function seed(): Promise<string[]> {
  const a = await core.call('records.create', {
    formVersionId: core.versionId,
    values: { hh_name: 'Ana, "the elder"', ok: 'yes', members: [{ name: 'Bo', crops: ['maize', 'rice'] }, { name: 'Cy', crops: [] }] },
  })
  const b = await core.call('records.create', { formVersionId: core.versionId, values: { hh_name: 'Dee\nline two', ok: 'no', extra: 42 } })
  const gone = await core.call('records.create', { formVersionId: core.versionId, values: { hh_name: 'deleted' } })
  await core.call('records.delete', { id: gone.id })
  return [a.id, b.id]
}

describe('exports', () => {
  it('writes CSV: main records and one file per repeat, linked by _index / _parent_index, select_multiple split', async () => {
    const [a, b] = await seed()
    const out = join(core.dataDir, 'household.csv')
    const progress: unknown[] = []
    core.events.subscribe((event) => progress.push(event))
    const result = await core.call('records.export', { formId: core.formId, format: 'csv', outputPath: out })
    expect(result).toEqual({ files: [out, join(core.dataDir, 'household-members.csv')], records: 2, sheets: [{ name: 'household', rows: 2 }, { name: 'members', rows: 2 }] })
    const main = asObjects(parseCsv(readFileSync(out, 'utf8')))
    expect(main.map((r) => [r.hh_name, r.ok, r.extra, r._id, r._index, r._status])).toEqual([
      ['Ana, "the elder"', 'yes', '', a, '1', 'draft'],
      ['Dee\nline two', 'no', '42', b, '2', 'draft'],
    ])
    const members = parseCsv(readFileSync(join(core.dataDir, 'household-members.csv'), 'utf8'))
    expect(members[0]).toEqual(['members/name', 'members/crops', 'members/crops/maize', 'members/crops/beans', 'members/crops/rice', '_index', '_parent_table_name', '_parent_index', '_submission__id'])
    expect(members.slice(1)).toEqual([
      ['Bo', 'maize rice', '1', '0', '1', '1', 'household', '1', a],
      ['Cy', '', '0', '0', '0', '2', 'household', '1', a],
    ])
    expect(progress.at(-1)).toEqual({ name: 'records.exportProgress', payload: { formId: core.formId, phase: 'done', done: 2, total: 2 } })
  })

  it('writes XLSX with one sheet per repeat, and choice labels when asked', async () => {
    const [a] = await seed()
    const out = join(core.dataDir, 'household.xlsx')
    await core.call('records.export', { formId: core.formId, format: 'xlsx', outputPath: out, labels: true })
    const workbook = readXlsx(new Uint8Array(readFileSync(out)))
    expect(workbook.sheets.map((s) => s.name)).toEqual(['household', 'members'])
    const [main, members] = workbook.sheets
    expect(main?.headers.slice(0, 3)).toEqual(['hh_name', 'ok', 'extra'])
    expect(main?.rows.map((r) => [r.cells.hh_name, r.cells.ok, r.cells.extra])).toEqual([
      ['Ana, "the elder"', 'Yes', undefined],
      ['Dee\nline two', 'No', '42'],
    ])
    expect(members?.headers).toEqual(['members/name', 'members/crops', 'members/crops/Maize', 'members/crops/Beans', 'members/crops/Rice', '_index', '_parent_table_name', '_parent_index', '_submission__id'])
    expect(members?.rows[0]?.cells).toEqual({
      'members/name': 'Bo',
      'members/crops': 'Maize Rice',
      'members/crops/Maize': '1',
      'members/crops/Beans': '0',
      'members/crops/Rice': '1',
      _index: '1',
      _parent_table_name: 'household',
      _parent_index: '1',
      _submission__id: a,
    })
    expect(members?.rows[1]?.cells._parent_index).toBe('1')
  })

  it('refuses an unknown form and an unwritable path', async () => {
    expect((await core.refuse('records.export', { formId: 'nope', format: 'csv', outputPath: join(core.dataDir, 'x.csv') })).code).toBe('not_found')
    const error = await core.refuse('records.export', { formId: core.formId, format: 'xlsx', outputPath: join(core.dataDir, 'no/such/dir/x.xlsx') })
    expect(error.code).toBe('validation')
    expect(error.message).toMatch(/cannot write/)
  })

  it('exports through the CLI by XLSForm form id', async () => {
    await seed()
    const out = join(core.dataDir, 'cli.csv')
    const lines: string[] = []
    const io = { out: (t: string) => lines.push(t), err: (t: string) => lines.push(t) }
    const args = ['export', '--db', join(core.dataDir, 'outpost.db'), '--form', 'household', '--format', 'csv', '-o', out]
    // The database is encrypted: a supervisor's name and password unlock it, nothing else does.
    expect(await main(args, io)).toBe(1)
    process.env.OUTPOST_PASSWORD = 'wrong password'
    expect(await main([...args, '--user', testSupervisor.username], io)).toBe(1)
    process.env.OUTPOST_PASSWORD = testSupervisor.password
    const code = await main([...args, '--user', testSupervisor.username], io)
    delete process.env.OUTPOST_PASSWORD
    expect(code).toBe(0)
    expect(asObjects(parseCsv(readFileSync(out, 'utf8')))).toHaveLength(2)
    expect(await main(['export', '--db', 'x.db'], io)).toBe(2)
  })
})

describe('CSV cells', () => {
  it('keeps a text answer that looks like a formula from running as one, and numbers as they are', async () => {
    const { csvCell } = await import('../../../electron/core/records/export/csv-writer')
    expect(csvCell('=HYPERLINK("http://evil.example","x")')).toBe(`"'=HYPERLINK(""http://evil.example"",""x"")"`)
    expect(csvCell('+254 700 000')).toBe("'+254 700 000")
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)")
    expect(csvCell(-5)).toBe('-5')
    expect(csvCell('plain')).toBe('plain')
  })
})
