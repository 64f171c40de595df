import { describe, expect, it } from 'vitest'
import { num, str } from './helpers'

describe('number functions', () => {
  it.each([
    ['number(/data/age)', 34],
    ["number('  -1.5 ')", -1.5],
    ["number('1,5')", 1.5],
    ["number('1,000')", 1],
    ["number('1,0,0')", NaN],
    ['sum(/data/member/m_age[. != "x"])', 17],
    ['sum(/data/nothing)', 0],
    // JavaRosa XPathSumFunc: one value that is not a number (here 'x') makes the sum NaN.
    ['sum(/data/member/m_age)', NaN],
    ['floor(-1.5)', -2],
    ['ceiling(-1.5)', -1],
    ['round(2.5)', 3],
    ['round(-2.5)', -2],
    ['round(-2.6)', -3],
    ['round(1.005, 2)', 1.01],
    ['round(-1.005, 2)', -1],
    ['round(-1.0051, 2)', -1.01],
    ['round(2.675, 2)', 2.68],
    ['round(0.5)', 1],
    ['round(3, 50)', NaN],
    ['round(2.4)', 2],
    ['round(1.2345, 2)', 1.23],
    ['round(1234.5, -2)', 1200],
    ["round('x')", NaN],
    ['int(-1.7)', -1],
    ['int(1.7)', 1],
    ['int(/data/age div 10)', 3],
    ['pow(2, 10)', 1024],
    ['pow(4, 0.5)', 2],
    ['abs(-3)', 3],
    ['sqrt(16)', 4],
    ['exp10(2)', 100],
    ['log10(1000)', 3],
    ['log(1)', 0],
    ['exp(0)', 1],
    ['pi() > 3.14', 1],
    ['sin(0) + cos(0) + tan(0)', 1],
    ['asin(1) * 2 = pi()', 1],
    ['acos(1)', 0],
    ['atan(0)', 0],
    ['atan2(0, 1)', 0],
    ['min(3, 1, 2)', 1],
    ['max(/data/member/m_age[. != "x"])', 10],
    // JavaRosa XPathMaxFunc is Math.max over every value: 'x' makes it NaN.
    ['max(/data/member/m_age)', NaN],
    ['min(/data/member/m_age)', NaN],
    ["max('a', 'b')", NaN],
    ['min(/data/nothing)', NaN],
    ['max(1, /data/age, 20)', 34],
  ])('%s = %d', (expr, expected) => {
    expect(num(expr)).toBe(expected)
  })

  it('reads random() from the injected source', () => {
    expect(num('random()')).toBe(0.5)
    expect(num('random()', { hooks: { random: () => 0.25 } })).toBe(0.25)
  })

  it('formats results as XPath numbers', () => {
    expect(str('round(3.7)')).toBe('4')
    expect(str('sum(/data/member/m_age[. != "x"])')).toBe('17')
    expect(str('number(/data/name)')).toBe('NaN')
  })
})
