import Database from 'better-sqlite3-multiple-ciphers'
import { afterAll, describe, expect, it } from 'vitest'
import { answerTokensSql, searchTextSql } from '../../../electron/core/records/index-batch'
import { indexTextOf, sqliteNumber } from '../../../electron/core/records/index-text'

// A new record's index entries are built in JavaScript (index-text.ts); edits still index through
// the SQL of the update triggers. Both must give the same text, or a record would be found by a
// word before an edit and not after it (or by the question filter, one way only).

const db = new Database(':memory:')
afterAll(() => db.close())
const bySql = db.prepare(
  `SELECT ${searchTextSql} AS text, ${answerTokensSql} AS tokens FROM (SELECT ? AS instance_name, ? AS values_json)`,
)
const sqlEntries = (instanceName: string | null, values: Record<string, unknown>) =>
  bySql.get(instanceName, JSON.stringify(values))
const printed = db.prepare("SELECT value || '' AS text FROM json_each(?)")

const long = 'a'.repeat(64)
const samples: Array<[string | null, Record<string, unknown>]> = [
  [
    'Amina household',
    {
      hh_name: 'Amina Okafor',
      district: 'Gulu',
      size: 4,
      head_age: 37,
      crops: ['maize', 'beans'],
      water: 'well',
    },
  ],
  [null, {}],
  [
    'São João',
    {
      name: 'Zoë Müller',
      city: 'Nguyễn',
      note: 'line one\nline two\t"quoted" \\ back',
      emoji: '😀 ok',
    },
  ],
  [
    'x',
    {
      yes: true,
      no: false,
      nothing: null,
      zero: 0,
      negative: -12,
      big: 2 ** 60,
      max: Number.MAX_SAFE_INTEGER,
    },
  ],
  [
    'x',
    {
      members: [
        { name: 'Bo', age: 7, crops: ['rice'] },
        { name: 'Cy', age: 9 },
      ],
      empty: [],
      nested: { deep: { er: 'text', n: 3 } },
    },
  ],
  [
    'x',
    {
      exactly64: long,
      over64: `${long}b`,
      pairs64: '😀'.repeat(32),
      pairs65: '😀'.repeat(33),
      mixed: [long, `${long}c`, 5, true, null, ['inner']],
    },
  ],
  [
    'x',
    {
      'group/question': 'a/b',
      'with "quotes"': 'yes',
      ünï: 'ç',
      '10': 'numeric key',
      '': 'empty key',
    },
  ],
  ['x', { nul: 'a\u0000b', control: '\u0001\u001f\u007f', bom: '\ufeffword' }],
]

describe('index text built in JavaScript (index-text.ts)', () => {
  it('is byte for byte what the SQL expressions give for the same JSON', () => {
    for (const [name, values] of samples) {
      const entries = indexTextOf(name, values)
      expect(entries, JSON.stringify(values)).toBeDefined()
      expect(entries).toEqual(sqlEntries(name, values))
    }
  })

  it('leaves to SQL what JavaScript would spell otherwise', () => {
    // SQLite prints fractions its own way (0.0009859999999999999 for 0.000986), and an integer
    // past 2^63 as a real (1.0e+21): the text must be its own.
    for (const value of [2.5, 0.000986, 1 / 3, 1e21, 2 ** 64])
      expect(indexTextOf(null, { value })).toBeUndefined()
    expect(indexTextOf(null, { repeat: [{ ratio: 1 / 3 }] })).toBeUndefined()
    // A lone surrogate: SQL's JSON decoding and JavaScript's UTF-8 disagree on its bytes.
    expect(indexTextOf(null, { name: 'broken \ud800 text' })).toBeUndefined()
    expect(indexTextOf('broken \udc00', {})).toBeUndefined()
    expect(indexTextOf(null, { when: new Date(0) })).toBeUndefined()
  })

  it('prints every integer below 2^63 as SQLite does, and no fraction', () => {
    let seed = 7
    const random = () => (seed = (seed * 16807) % 2147483647) / 2147483647
    const numbers: number[] = []
    for (let i = 0; i < 3000; i++)
      numbers.push(
        Math.round((random() - 0.5) * 10 ** Math.floor(random() * 20)),
        (random() - 0.5) * 1000,
      )
    numbers.push(2 ** 53 + 2, 2 ** 62, -(2 ** 62), 0, -0)
    const sqlite = (printed.all(JSON.stringify(numbers)) as { text: string }[]).map(
      (row) => row.text,
    )
    numbers.forEach((value, i) => {
      const text = sqliteNumber(value)
      if (Number.isInteger(value)) expect(text, String(value)).toBe(sqlite[i])
      else expect(text).toBeUndefined()
    })
  })
})
