import { describe, expect, it } from 'vitest'
import { bool, num, str } from './helpers'

describe('XPath 1.0 string functions', () => {
  it.each([
    ['string(/data/age)', '34'],
    ['string(1 div 0)', 'Infinity'],
    ['string(true())', 'true'],
    ['string(/data/nothing)', ''],
    ["concat('a', 1, true(), /data/name)", 'a1trueAmina'],
    ['concat(/data/member/m_name)', 'AliSaraOmar'],
    ['concat()', ''],
    ["substring-before('1999/04/01', '/')", '1999'],
    ["substring-after('1999/04/01', '/')", '04/01'],
    ["substring-after('abc', 'x')", ''],
    ["substring('12345', 2, 3)", '234'],
    ["substring('12345', 2)", '2345'],
    ["substring('12345', 1.5, 2.6)", '234'],
    ["substring('12345', 0, 3)", '12'],
    ["substring('12345', 0 div 0, 3)", ''],
    ["substring('12345', 1, 0 div 0)", ''],
    ["substring('12345', -42, 1 div 0)", '12345'],
    ["substring('12345', -1 div 0, 1 div 0)", ''],
    ["normalize-space('  a \t b\n c ')", 'a b c'],
    ["translate('bar', 'abc', 'ABC')", 'BAr'],
    ["translate('--aaa--', 'abc-', 'ABC')", 'AAA'],
    ["translate('aab', 'aa', 'xy')", 'xxb'],
  ])('%s = %j', (expr, expected) => {
    expect(str(expr)).toBe(expected)
  })

  it.each([
    ["starts-with('abc', 'ab')", true],
    ["starts-with('abc', '')", true],
    ["ends-with('abc', 'bc')", true],
    ["contains('abc', 'd')", false],
    ["contains(/data/fruits, 'banana')", true],
  ])('%s is %s', (expr, expected) => {
    expect(bool(expr)).toBe(expected)
  })

  it('counts characters, not UTF-16 units', () => {
    expect(num("string-length('a😀b')")).toBe(3)
    expect(num('string-length(/data/name)')).toBe(5)
    expect(str("substring('a😀b', 2, 1)")).toBe('😀')
  })
})

describe('ODK string functions', () => {
  it.each([
    ["substr('abcdef', 1, 3)", 'bc'],
    ["substr('abcdef', 2)", 'cdef'],
    ["substr('abcdef', -2)", 'ef'],
    ["substr('abcdef', 4, 2)", ''],
    ["substr('abcdef', 0, 100)", 'abcdef'],
    ["join(', ', /data/member/m_name)", 'Ali, Sara, Omar'],
    ["join('-', 'a', 'b', /data/age)", 'a-b-34'],
    ["coalesce(/data/empty, 'fallback')", 'fallback'],
    ["coalesce(/data/name, 'fallback')", 'Amina'],
    ['coalesce(/data/nothing, /data/age)', '34'],
    ["coalesce(number('x'), 'fallback')", 'fallback'],
    ["substr('abcdef', 1, number('x'))", ''],
  ])('%s = %j', (expr, expected) => {
    expect(str(expr)).toBe(expected)
  })

  it.each([
    ["regex('abc123', '[0-9]+')", false],
    ["regex('123', '[0-9]+')", true],
    ["regex('a|b', 'a|b')", false],
    ["regex('b', 'a|b')", true],
    ["regex('a_b', 'a\\_b')", true],
    ["regex('abc', '^[0-9]+$')", false],
    ["regex('+254712345678', '^\\+254[0-9]{9}$')", true],
    ["regex('', '^$')", true],
  ])('%s is %s', (expr, expected) => {
    expect(bool(expr)).toBe(expected)
  })

  it('names an invalid regular expression', () => {
    expect(() => str("regex('a', '(')")).toThrow(/not a valid regular expression/)
  })
})
