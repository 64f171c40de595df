import { ed25519 } from '@noble/curves/ed25519.js'
import { describe, expect, it } from 'vitest'
import {
  compileXPath,
  element,
  fixedTimeZone,
  memoryModel,
  type XPathHooks,
} from '../../../../shared/forms/xpath'
import { bool, contextFor, makeModel, nodeAt, num, str } from './helpers'

describe('select functions', () => {
  it.each([
    ["selected(/data/fruits, 'banana')", true],
    ["selected(/data/fruits, ' cherry ')", true],
    ["selected(/data/fruits, 'ban')", false],
    ["selected('', '')", false],
    ["selected(/data/nothing, 'a')", false],
  ])('%s is %s', (expr, expected) => {
    expect(bool(expr)).toBe(expected)
  })

  it.each([
    ['count-selected(/data/fruits)', 3],
    ["count-selected('')", 0],
    ["count-selected('  ')", 0],
  ])('%s = %d', (expr, expected) => {
    expect(num(expr)).toBe(expected)
  })

  it.each([
    ['selected-at(/data/fruits, 0)', 'apple'],
    ['selected-at(/data/fruits, 2)', 'cherry'],
    ['selected-at(/data/fruits, 3)', ''],
    ['selected-at(/data/fruits, -1)', ''],
    ['selected-at(/data/fruits, 0.5)', ''],
  ])('%s = %j', (expr, expected) => {
    expect(str(expr)).toBe(expected)
  })

  it('looks up choice labels through the choiceName hook with the question path as text', () => {
    const model = makeModel()
    const fruitsNode = nodeAt(model, '/data/fruits')
    const hooks: XPathHooks = {
      choiceName: (node, value) => (node === fruitsNode ? `label of ${value}` : null),
    }
    expect(
      str("jr:choice-name(selected-at(/data/fruits, 1), '/data/fruits')", { model, hooks }),
    ).toBe('label of banana')
    expect(
      str("jr:choice-name('x', '../fruits')", { model, hooks, node: nodeAt(model, '/data/age') }),
    ).toBe('label of x')
    expect(str("jr:choice-name('x', '/data/age')", { model, hooks })).toBe('')
  })

  it('reads translations through the itext hook', () => {
    expect(str("jr:itext('q1:label')", { hooks: { itext: (id) => `[${id}]` } })).toBe('[q1:label]')
    expect(() => str("jr:itext('q1:label')")).toThrow(/translations/)
  })

  it('pulls data from a secondary instance by key, with or without an index', () => {
    for (const index of [false, true]) {
      const model = makeModel({ index })
      expect(str("pulldata('villages', 'label', 'name', 'v3')", { model })).toBe('Village 3')
      expect(str("pulldata('villages', 'label', 'district', /data/district)", { model })).toBe(
        'Village 2',
      )
      expect(str("pulldata('villages', 'label', 'name', 'zz')", { model })).toBe('')
      expect(str("pulldata('nolist', 'label', 'name', 'v1')", { model })).toBe('')
    }
  })

  it('shuffles with randomize() as JavaRosa does for a seed, and keeps every node', () => {
    const seeded = str("join(' ', randomize(instance('villages')/root/item/name, 42))")
    expect(seeded.split(' ').sort()).toEqual(['v1', 'v2', 'v3'])
    expect(str("join(' ', randomize(instance('villages')/root/item/name, 42))")).toBe(seeded)
    expect(
      str("join(' ', randomize(instance('villages')/root/item/name, 'abc'))").split(' '),
    ).toHaveLength(3)
  })
})

describe('date and time functions', () => {
  it.each([
    ['today()', '2024-03-15'],
    ['now()', '2024-03-15T10:20:30.456+00:00'],
    ["date('2020-01-31')", '2020-01-31'],
    ["date('2020-1-5')", '2020-01-05'],
    ['date(0)', '1970-01-01'],
    ['date(18262.5)', '2020-01-01'],
    ['date-time(18262.5)', '2020-01-01T12:00:00.000+00:00'],
    ["date(date-time('2020-01-01T10:00:00Z'))", '2020-01-01'],
    ["date('2020-01-01T10:00:00Z')", '2020-01-01T10:00:00.000+00:00'],
    ["date('2020-02-30')", ''],
    ["date('')", ''],
    ["date-time('2020-01-01T10:00:00+02:00')", '2020-01-01T08:00:00.000+00:00'],
    ["format-date('2020-03-07', '%Y/%m/%d %y %n %e %b %a')", '2020/03/07 20 3 7 Mar Sat'],
    ["format-date-time('2020-03-07T09:05:04.007Z', '%H:%M:%S.%3 %h')", '09:05:04.007 9'],
    ["format-date('not a date', '%Y')", ''],
    ["format-date(date('2020-01-01') + 31, '%d %b')", '01 Feb'],
    ["format-date(/data/dob, '%Y')", '1990'],
    ["format-date('2020-01-01', '%Q %%')", '%Q %%'],
  ])('%s = %j', (expr, expected) => {
    expect(str(expr)).toBe(expected)
  })

  it.each([
    ["date('1970-01-11')", 10],
    ["date('2020-01-01') + 1", 18263],
    ["decimal-date-time('1970-01-02T06:00:00Z')", 1.25],
    ["decimal-date-time('2020-01-01')", 18262],
    ['decimal-date-time(18262.25)', 18262.25],
    ["decimal-time('12:00:00Z')", 0.5],
    ["decimal-time('06:00')", 0.25],
    ["decimal-time('25:00')", NaN],
    ["today() - date('2024-03-01')", 14],
    ['int((today() - date(/data/dob)) div 365.25)', 33],
  ])('%s = %d', (expr, expected) => {
    expect(num(expr)).toBe(expected)
  })

  it('compares dates as days and follows the injected zone', () => {
    expect(bool("today() > date('2024-03-14')")).toBe(true)
    expect(bool("date('2024-03-14') + 1 = today()")).toBe(true)
    const plus3 = { timeZone: fixedTimeZone(180) }
    expect(str('now()', { hooks: plus3 })).toBe('2024-03-15T13:20:30.456+03:00')
    expect(str("date('2020-01-01T23:30:00Z')", { hooks: plus3 })).toBe(
      '2020-01-02T02:30:00.000+03:00',
    )
    expect(str("format-date-time('2020-01-01T23:30:00Z', '%Y-%m-%d %H')", { hooks: plus3 })).toBe(
      '2020-01-02 02',
    )
    expect(num("decimal-date-time('2020-01-01')", { hooks: plus3 })).toBe(18262 - 3 / 24)
    // Dates count as whole local days in every zone, as JavaRosa's daysSinceEpoch.
    expect(num("date('2020-01-01') + 1", { hooks: plus3 })).toBe(18263)
    expect(num("date('2020-01-01') + 1", { hooks: { timeZone: fixedTimeZone(-300) } })).toBe(18263)
    expect(
      str("format-date(date('2020-01-01') + 1, '%Y-%m-%d')", {
        hooks: { timeZone: fixedTimeZone(-300) },
      }),
    ).toBe('2020-01-02')
    expect(str('date(18262)', { hooks: { timeZone: fixedTimeZone(-300) } })).toBe('2020-01-01')
    // As in JavaRosa, a dateTime counts as its whole day; decimal-date-time() keeps the time.
    expect(num("'2020-01-01T12:00:00+03:00' - '2020-01-01'", { hooks: plus3 })).toBe(0)
    expect(num('now() - today()')).toBe(0)
    expect(
      num("decimal-date-time('2020-01-01T12:00:00Z') - decimal-date-time('2020-01-01T00:00:00Z')"),
    ).toBe(0.5)
    expect(
      bool("'2020-01-01T23:00:00-05:00' > '2020-01-01'", {
        hooks: { timeZone: fixedTimeZone(-300) },
      }),
    ).toBe(false)
    expect(
      str('today()', {
        hooks: { clock: () => Date.UTC(2024, 0, 1, 22, 0), timeZone: fixedTimeZone(180) },
      }),
    ).toBe('2024-01-02')
  })
})

describe('geo functions', () => {
  const trace = '0 0 0 0; 0 1 0 0; 1 1 0 0; 1 0 0 0; 0 0 0 0'
  it('measures distance and area as JavaRosa does, to the centimetre', () => {
    expect(num(`distance('${trace}')`)).toBe(445258.43)
    expect(num("distance('0 0', '0 1')")).toBe(111318.85)
    expect(num(`area('${trace}')`)).toBe(12391256135.81)
    expect(num("distance('not a point')")).toBeNaN()
  })

  it('tests a point against a closed shape with geofence()', () => {
    expect(bool(`geofence('0.5 0.5', '${trace}')`)).toBe(true)
    expect(bool(`geofence('2 2', '${trace}')`)).toBe(false)
    expect(bool("geofence('0.5 0.5', '0 0; 0 1; 1 1')")).toBe(false)
  })

  it('reads geopoints from nodes', () => {
    const model = memoryModel({
      primary: element({
        name: 'data',
        children: [
          { name: 'p', children: '0 0 0 0' },
          { name: 'p', children: '0 1 0 0' },
        ],
      }),
    })
    expect(num('distance(/data/p)', { model })).toBe(111318.85)
  })
})

describe('digest, base64, uuid', () => {
  it.each([
    ["digest('abc', 'MD5', 'hex')", '900150983cd24fb0d6963f7d28e17f72'],
    ["digest('abc', 'SHA-1', 'hex')", 'a9993e364706816aba3e25717850c26c9cd0d89d'],
    ["digest('abc', 'SHA-256')", 'ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0='],
    [
      "digest('', 'SHA-384', 'hex')",
      '38b060a751ac96384cd9327eb1b1e36a21fdb71114be07434c0cc7bf63f6e1da274edebfe76f65fbd51ad2f14898b95b',
    ],
    ["digest('é', 'MD5', 'base64')", 'Zt3Nl8/eq7L2+4qZm0vHbw=='],
    ["base64-decode('SGVsbG8sIHfDtnJsZCE=')", 'Hello, wörld!'],
    ["base64-decode('not base64!')", ''],
  ])('%s = %j', (expr, expected) => {
    expect(str(expr)).toBe(expected)
  })

  it('refuses an unknown algorithm', () => {
    expect(() => str("digest('a', 'SHA-3')")).toThrow(/not "SHA-3"/)
  })

  it('draws uuids from the injected random source', () => {
    let n = 0
    const random = () => (n++ % 16) / 16
    const ctx = contextFor({ hooks: { random } })
    expect(compileXPath('uuid()').evaluateString(ctx)).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    )
    expect(compileXPath('uuid(12)').evaluateString(ctx)).toMatch(/^[0-9A-Za-z]{12}$/)
    expect(str('uuid(0)')).toBe('')
  })
})

describe('extract-signed', () => {
  const toBase64 = (bytes: Uint8Array): string => btoa(String.fromCharCode(...bytes))
  const { secretKey, publicKey } = ed25519.keygen(new Uint8Array(32).fill(7))
  const message = new TextEncoder().encode('real genuine data ✓')
  const signed = new Uint8Array([...ed25519.sign(message, secretKey), ...message])
  const key = toBase64(publicKey)

  it('returns the message of a signed text that verifies under the key', () => {
    expect(str(`extract-signed('${toBase64(signed)}', '${key}')`)).toBe('real genuine data ✓')
  })

  it('returns blank for a tampered message, another key or text that is not base64', () => {
    const tampered = signed.slice()
    tampered[tampered.length - 1] = (tampered[tampered.length - 1] ?? 0) ^ 1
    const otherKey = toBase64(ed25519.keygen(new Uint8Array(32).fill(9)).publicKey)
    expect(str(`extract-signed('${toBase64(tampered)}', '${key}')`)).toBe('')
    expect(str(`extract-signed('${toBase64(signed)}', '${otherKey}')`)).toBe('')
    expect(str(`extract-signed('not base64!', '${key}')`)).toBe('')
    expect(str(`extract-signed('${toBase64(signed)}', 'AAAA')`)).toBe('')
  })
})
