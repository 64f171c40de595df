import { describe, expect, it } from 'vitest'
import { parseXPath, XPathSyntaxError } from '../../../../shared/forms/xpath'

const syntaxError = (expr: string): XPathSyntaxError => {
  try {
    parseXPath(expr)
  } catch (error) {
    if (error instanceof XPathSyntaxError) return error
    throw error
  }
  throw new Error(`"${expr}" parsed`)
}

describe('parseXPath', () => {
  it.each([
    '/data/a',
    '../b',
    './c',
    '//item[@id = "x"]',
    'child::a/descendant::b/descendant-or-self::node()/parent::*/ancestor::c/self::d',
    'attribute::e | following-sibling::f | preceding-sibling::g',
    'a[1][position() < last()]',
    '-(-1) - - 2',
    'a or b and c = d != e < f <= g > h >= i + j - k * l div m mod n',
    'jr:choice-name(/data/q, "/data/q")',
    "instance('list')/root/item[name = current()/../district]",
    'text() | node() | comment() | processing-instruction("x")',
    '@*',
    '*/ns:*',
    '(/data/a | /data/b)[2]',
    'count(/a)/b',
    '.5 + 5. + 0.25',
  ])('parses %s', (expr) => {
    expect(() => parseXPath(expr)).not.toThrow()
  })

  it('reads * after an operand as multiplication and elsewhere as a name test', () => {
    expect(parseXPath('2 * 3')).toMatchObject({ type: 'binary', op: '*' })
    expect(parseXPath('*')).toMatchObject({ type: 'path', steps: [{ test: { localName: '*' } }] })
    expect(parseXPath('a * b')).toMatchObject({ type: 'binary', op: '*' })
  })

  it('reads and/or/div/mod as names when they start an operand', () => {
    expect(parseXPath('div div mod')).toMatchObject({ type: 'binary', op: 'div' })
    expect(parseXPath('/data/and')).toMatchObject({ type: 'path' })
  })

  it('keeps the prefix of a function name', () => {
    expect(parseXPath('jr:itext("a")')).toMatchObject({ type: 'call', name: 'jr:itext' })
  })

  it('treats names with hyphens and dots as one name', () => {
    expect(parseXPath('a-b.c')).toMatchObject({
      type: 'path',
      steps: [{ test: { localName: 'a-b.c' } }],
    })
    expect(parseXPath('a - b')).toMatchObject({ type: 'binary', op: '-' })
  })

  it('gives unary minus lower precedence than union', () => {
    expect(parseXPath('-a | b')).toMatchObject({
      type: 'negate',
      operand: { type: 'binary', op: '|' },
    })
  })

  it.each([
    ['', 0, 'empty'],
    ['concat(1, 2', 11, 'in the call to concat()'],
    ['/data/a[', 8, 'Expected a value'],
    ['/data/a[1', 9, 'close the filter'],
    ['1 +', 3, 'needs something on its right'],
    ["'abc", 0, 'never closed'],
    ['a b', 2, 'is an operator or a comma missing'],
    ['/data/#x', 6, 'cannot appear here'],
    ['bogus::a', 0, 'not an XPath axis'],
    ['()', 1, 'cannot be empty'],
    ['a[]', 2, 'cannot be empty'],
    ['/data/', 6, 'Expected a step'],
  ])('reports %j as a syntax error at character %i', (expr, position, words) => {
    const error = syntaxError(expr)
    expect(error.position).toBe(position)
    expect(error.message).toContain(words)
    expect(error.message).toContain(`at character ${position + 1}`)
  })
})
