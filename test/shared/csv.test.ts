import { describe, expect, it } from 'vitest'
import { isBlankRow, parseCsv } from '../../shared/csv'

describe('CSV', () => {
  it('reads quoted commas, doubled quotes, line breaks, CRLF and a BOM', () => {
    expect(parseCsv('\uFEFFname,label\r\n"a,1","say ""hi"""\n"two\nlines",x')).toEqual([
      ['name', 'label'],
      ['a,1', 'say "hi"'],
      ['two\nlines', 'x'],
    ])
  })

  it('keeps blank rows so line numbers stay true', () => {
    const rows = parseCsv('a\n\nb\n')
    expect(rows).toEqual([['a'], [''], ['b']])
    expect(rows.filter((r) => !isBlankRow(r))).toEqual([['a'], ['b']])
  })

  it('refuses a file that ends inside quotes', () => {
    expect(() => parseCsv('a,"b')).toThrow(/closing " is missing/)
  })
})
