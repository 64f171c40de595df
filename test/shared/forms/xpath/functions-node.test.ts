import { describe, expect, it } from 'vitest'
import { compileXPath } from '../../../../shared/forms/xpath'
import { bool, contextFor, makeModel, nodeAt, num, str } from './helpers'

describe('node-set and boolean functions', () => {
  const model = makeModel()
  const member3 = nodeAt(model, '/data/member[3]')

  it.each([
    ['count(/data/member)', 3],
    ['count(/data/nothing)', 0],
    ['count-non-empty(/data/*)', 9],
    ['count(/data/member[position() = last()])', 1],
    ['position(/data/member[3])', 3],
    ['position(/data/member[1]/m_name)', 1],
  ])('%s = %d', (expr, expected) => {
    expect(num(expr, { model })).toBe(expected)
  })

  it.each([
    ['name(/data/@orx:version)', 'orx:version'],
    ['local-name(/data/@orx:version)', 'version'],
    ['name()', 'member'],
    ['name(/data/nothing)', ''],
    ['namespace-uri(/data)', ''],
    ["if(/data/age > 18, 'adult', 'child')", 'adult'],
    ["if('', 'yes', 'no')", 'no'],
    ['string(current()/m_name)', 'Omar'],
    ['once(concat("x", "y"))', 'Omarx'],
  ])('%s = %j', (expr, expected) => {
    expect(str(expr, { model, node: member3 })).toBe(expected)
  })

  it.each([
    ['not(0)', true],
    ['true() and not(false())', true],
    ["boolean-from-string('true')", true],
    ["boolean-from-string('1')", true],
    ["boolean-from-string('yes')", false],
    ["boolean-from-string('TRUE')", true],
    ['checklist(2, 3, true(), false(), 1, "x")', true],
    ['checklist(-1, 1, true(), true())', false],
    ['checklist(1, -1, false(), /data/empty)', true],
    ['weighted-checklist(3, -1, true(), 2, false(), 5, 1, 1)', false],
    ['weighted-checklist(3, 4, true(), 2, false(), 5, 1, 1)', true],
    ['checklist(1.9, 1.9, true(), true())', false],
    ['weighted-checklist(4, 5, true(), 2, true(), 1)', false],
    ["lang('en')", false],
  ])('%s is %s', (expr, expected) => {
    expect(bool(expr, { model })).toBe(expected)
  })

  it('gives a bind without a context position the repeat index of its node, as JavaRosa', () => {
    expect(num('position()', { model, node: member3 })).toBe(3)
    expect(num('position()', { model, node: nodeAt(model, '/data/member[2]/m_age') })).toBe(1)
    expect(num('position(..)', { model, node: nodeAt(model, '/data/member[2]/m_age') })).toBe(2)
  })

  it('keeps once() from replacing an existing answer and fills an empty one', () => {
    const empty = nodeAt(model, '/data/empty')
    expect(str('once(/data/age)', { model, node: empty })).toBe('34')
    expect(str('once(/data/age)', { model, node: nodeAt(model, '/data/name') })).toBe('Amina')
  })

  it('evaluates only the chosen branch of if()', () => {
    expect(str("if(true(), 'ok', regex('a', '('))")).toBe('ok')
  })

  it('picks a node inside nested repeats with indexed-repeat()', () => {
    expect(str('indexed-repeat(/data/member/m_name, /data/member, 2)', { model })).toBe('Sara')
    expect(str('indexed-repeat(/data/member/m_name, /data/member, 9)', { model })).toBe('')
    expect(str('indexed-repeat(/data/member/m_name, /data/member, 0)', { model })).toBe('Ali')
    expect(str('indexed-repeat(/data/member/m_name, /data/member, /data/empty)', { model })).toBe(
      'Ali',
    )
    expect(
      str('indexed-repeat(/data/member/m_name, /data/member, /data/age div 17)', { model }),
    ).toBe('Sara')
  })

  it('resolves current() to the bind node even inside predicates', () => {
    const district = nodeAt(model, '/data/district')
    const compiled = compileXPath("count(instance('villages')/root/item[district = current()])")
    expect(compiled.evaluateNumber({ ...contextFor({ model }), node: district })).toBe(2)
    expect(
      compiled.evaluateNumber({
        ...contextFor({ model }),
        node: model.primaryRoot,
        current: district,
      }),
    ).toBe(2)
  })

  it('names an unknown function and a wrong argument count', () => {
    expect(() => compileXPath('nope(1)')).toThrow(
      'The function nope() does not exist in ODK XForms',
    )
    expect(() => compileXPath('foo:bar()')).toThrow('foo:bar()')
    expect(() => compileXPath('concat')).not.toThrow()
    expect(() => compileXPath('not(1, 2)')).toThrow('not() takes 1 argument(s), but was given 2')
    expect(() => compileXPath('substr("a")')).toThrow('substr() takes 2 to 3 argument(s)')
  })

  it('refuses count() of a value that is not a node-set', () => {
    expect(() => num('count(1)')).toThrow(/must be a path to nodes/)
  })

  it('accepts extension functions through hooks', () => {
    const compiled = compileXPath('my:twice(21)', {
      functions: {
        'my:twice': { minArgs: 1, maxArgs: 1, call: (args, frame) => Number(args[0]!(frame)) * 2 },
      },
    })
    expect(compiled.evaluateNumber(contextFor())).toBe(42)
  })
})
