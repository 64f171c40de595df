import { describe, expect, it } from 'vitest'
import { fixedTimeZone, numberToString, toNumberValue } from '../../../../shared/forms/xpath'
import { bool, num, str } from './helpers'

describe('number to string (XPath 1.0 section 4.2)', () => {
  it.each([
    [1, '1'],
    [1.5, '1.5'],
    [-0, '0'],
    [NaN, 'NaN'],
    [Infinity, 'Infinity'],
    [-Infinity, '-Infinity'],
    [1e21, '1000000000000000000000'],
    [1.5e22, '15000000000000000000000'],
    [1e-7, '0.0000001'],
    [-1.25e-8, '-0.0000000125'],
    [123456789012, '123456789012'],
  ])('writes %d as %s', (n, text) => {
    expect(numberToString(n)).toBe(text)
  })

  it('writes 1.0 as 1 and 0.1 + 0.2 with the shortest round-trip digits', () => {
    expect(str('1.0')).toBe('1')
    expect(str('0.1 + 0.2')).toBe('0.30000000000000004')
  })
})

describe('string to number', () => {
  const utc = fixedTimeZone(0)
  it.each([
    ['12', 12],
    [' 12 ', 12],
    ['-3.5', -3.5],
    ['.5', 0.5],
    ['5.', 5],
    ['', NaN],
    ['1e3', NaN],
    ['+1', NaN],
    ['0x10', NaN],
    ['Infinity', NaN],
    ['abc', NaN],
    ['1970-01-02', 1],
    ['1970-01-01T12:00:00Z', 0],
    ['1970-01-03T23:59:59Z', 2],
  ])('reads %j as %d', (text, n) => {
    expect(toNumberValue(text, utc)).toBe(n)
  })

  it('reads booleans as 0 and 1 and an empty node-set as NaN', () => {
    expect(num('true() + true()')).toBe(2)
    expect(num('/data/nothing')).toBeNaN()
    expect(num('/data/empty')).toBeNaN()
  })
})

describe('booleans', () => {
  it.each([
    ['boolean(0)', false],
    ['boolean(0 div 0)', false],
    ['boolean(-1)', true],
    ["boolean('')", false],
    ["boolean('false')", true],
    ['boolean(/data/empty)', true],
    ['boolean(/data/nothing)', false],
  ])('%s is %s', (expr, expected) => {
    expect(bool(expr)).toBe(expected)
  })
})

describe('comparisons (XPath 1.0 section 3.4)', () => {
  it.each([
    ['/data/age = 34', true],
    ["/data/age = '34'", true],
    ["/data/age = '34.0'", false],
    ['/data/age = 34.0', true],
    ['/data/member/m_age = 7', true],
    ['/data/member/m_age != 7', true],
    ['/data/member/m_age > 9', true],
    ['/data/member/m_age > 10', false],
    ['/data/member/m_age < /data/age', true],
    ["/data/member/m_name = 'Sara'", true],
    ["/data/member/m_name != 'Sara'", true],
    ['/data/nothing = /data/nothing', false],
    ['/data/nothing != /data/nothing', false],
    ["/data/nothing = ''", false],
    ["/data/nothing != ''", false],
    ['/data/nothing = false()', true],
    ['/data/empty = true()', true],
    ["/data/empty = ''", true],
    ['/data/member/m_name = /data/name', false],
    ['/data/member/m_age = /data/member/m_age', true],
    ["'abc' < 'abd'", false],
    ["'2' < '10'", true],
    ['true() = 1', true],
    ["true() = 'false'", true],
    ["0 = ''", false],
    ["'1' = 1.0", true],
    ['1 div 0 = 2 div 0', true],
    ['0 div 0 = 0 div 0', false],
    ['0 div 0 != 0 div 0', true],
    ['/data/dob < today()', true],
    ["/data/dob = '1990-05-17'", true],
    ["date('1990-05-17') = /data/dob", true],
    ["today() = '2024-03-15'", true],
  ])('%s is %s', (expr, expected) => {
    expect(bool(expr)).toBe(expected)
  })
})

describe('arithmetic', () => {
  it.each([
    ['7 mod 3', 1],
    ['-7 mod 3', -1],
    ['7 mod -3', 1],
    ['5 div 2', 2.5],
    ['1 div 0', Infinity],
    ['-1 div 0', -Infinity],
    ['/data/age * 2', 68],
    ["'a' + 1", NaN],
    ['- /data/age', -34],
    ['/data/age - -1', 35],
    ['/data/member/m_age + 1', 11],
  ])('%s = %d', (expr, expected) => {
    expect(num(expr)).toBe(expected)
  })
})
