import { describe, expect, it } from 'vitest'
import {
  compileXPath,
  isNodeSet,
  qualifiedName,
  type XPathValue,
} from '../../../../shared/forms/xpath'
import { contextFor, evaluate, makeModel, nodeAt, num, str } from './helpers'

const names = (value: XPathValue): string[] => {
  if (!isNodeSet(value)) throw new Error('not a node-set')
  return value.map((node) =>
    node.kind === 'text' ? `#${node.stringValue()}` : qualifiedName(node),
  )
}

describe('location paths', () => {
  const model = makeModel()
  const member2 = nodeAt(model, '/data/member[2]')
  const at = (expr: string) => names(evaluate(expr, { model, node: member2 }))

  it('walks every axis ODK uses, in document order', () => {
    expect(at('child::*')).toEqual(['m_name', 'm_age'])
    expect(at('..')).toEqual(['data'])
    expect(at('.')).toEqual(['member'])
    expect(at('ancestor::*')).toEqual(['data'])
    expect(at('ancestor-or-self::*')).toEqual(['data', 'member'])
    expect(at('following-sibling::*')).toEqual(['member', 'meta'])
    expect(at('preceding-sibling::member')).toEqual(['member'])
    expect(at('descendant::node()')).toEqual(['m_name', '#Sara', 'm_age', '#7'])
    expect(at('descendant-or-self::*')).toEqual(['member', 'm_name', 'm_age'])
    expect(at('self::member')).toEqual(['member'])
    expect(at('self::other')).toEqual([])
    expect(at('m_name/text()')).toEqual(['#Sara'])
    expect(at('/data/@*')).toEqual(['id', 'orx:version'])
    expect(at('following::m_name')).toEqual(['m_name'])
    expect(at('preceding::m_name')).toEqual(['m_name'])
  })

  it('counts positions backwards on reverse axes and returns document order', () => {
    expect(str('preceding-sibling::*[1]', { model, node: member2 })).toBe('Ali10')
    expect(names(evaluate('ancestor-or-self::*[1]', { model, node: member2 }))).toEqual(['member'])
  })

  it('abbreviates // and resolves absolute paths against the primary instance', () => {
    expect(names(evaluate('//m_name', { model }))).toEqual(['m_name', 'm_name', 'm_name'])
    expect(str('/data/member[last()]/m_name', { model, node: member2 })).toBe('Omar')
    expect(names(evaluate('/', { model }))).toEqual([''])
  })

  it('filters with predicates: numbers pick positions, everything else is a condition', () => {
    expect(str('/data/member[2]/m_name')).toBe('Sara')
    expect(str('/data/member[position() = 3]/m_name')).toBe('Omar')
    expect(str('/data/member[m_age > 8]/m_name')).toBe('Ali')
    expect(num('count(/data/member[m_age > 1][2])')).toBe(1)
    expect(str('/data/member[m_age > 1][2]/m_name')).toBe('Sara')
    expect(num('count(/data/member[1.5])')).toBe(0)
    expect(num('count(/data/member[0])')).toBe(0)
    expect(str('/data/member[m_name = "Sara"]/following-sibling::member[1]/m_name')).toBe('Omar')
  })

  it('applies predicates to filter expressions in document order', () => {
    expect(str('(/data/member/m_name)[2]')).toBe('Sara')
    expect(str('(/data/member/m_name | /data/name)[1]')).toBe('Amina')
  })

  it('merges unions in document order without duplicates', () => {
    expect(names(evaluate('/data/age | /data/name | /data/age'))).toEqual(['name', 'age'])
  })

  it('refuses a union or a path step on a value that is not a node-set', () => {
    expect(() => evaluate('1 | /data/a')).toThrow(/list of nodes/)
    expect(() => evaluate('concat("a", "b")/c')).toThrow(/list of nodes/)
  })

  it('reads secondary instances through instance() and current() from any depth', () => {
    const district = nodeAt(model, '/data/district')
    const ctx = { model, node: district }
    expect(
      str("count(instance('villages')/root/item[district = current()/../district])", ctx),
    ).toBe('2')
    expect(str("instance('villages')/root/item[district = current()][1]/label", ctx)).toBe(
      'Village 2',
    )
    expect(names(evaluate("instance('nope')/root"))).toEqual([])
  })

  it('uses the context position and size given by the caller', () => {
    const compiled = compileXPath('position() * 10 + last()')
    expect(compiled.evaluateNumber({ ...contextFor({ model }), position: 2, size: 5 })).toBe(25)
  })

  it('matches names by prefix as written, unprefixed for instance data', () => {
    expect(str('/data/@orx:version')).toBe('3')
    expect(names(evaluate('/data/orx:*'))).toEqual([])
    expect(names(evaluate('/data/meta/*'))).toEqual(['instanceID'])
  })

  it('re-evaluates a compiled expression against changed answers', () => {
    const fresh = makeModel()
    const compiled = compileXPath('/data/age + 1')
    expect(compiled.evaluateNumber({ model: fresh })).toBe(35)
    fresh.primaryRoot.children[0]!.children[1]!.setText('40')
    expect(compiled.evaluateNumber({ model: fresh })).toBe(41)
  })
})
