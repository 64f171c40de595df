import { describe, expect, it } from 'vitest'
import { compileXPath, referencedPaths } from '../../../../shared/forms/xpath'

const paths = (
  expr: string,
  context = '/data/household/member/age',
  includeInstances = false,
): string[] => referencedPaths(compileXPath(expr), context, { includeInstances })

describe('referencedPaths', () => {
  it('resolves relative paths and .. against the context path', () => {
    expect(paths('. > 18')).toEqual(['/data/household/member/age'])
    expect(paths('../name')).toEqual(['/data/household/member/name'])
    expect(paths('../../hh_size + 1')).toEqual(['/data/household/hh_size'])
    expect(paths('/data/consent = "yes" and ../sex = "f"')).toEqual([
      '/data/consent',
      '/data/household/member/sex',
    ])
  })

  it('drops repeat positions and reads inside predicates and function arguments', () => {
    expect(paths('/data/household/member[2]/age')).toEqual(['/data/household/member/age'])
    expect(paths('count(/data/household/member[age > 18])')).toEqual([
      '/data/household/member',
      '/data/household/member/age',
    ])
    expect(paths("if(selected(/data/fruits, 'a'), concat(/data/x, ../y), sum(/data/r/n))")).toEqual(
      ['/data/fruits', '/data/household/member/y', '/data/r/n', '/data/x'],
    )
  })

  it('resolves current() to the context path, also inside predicates', () => {
    expect(
      paths(
        "instance('villages')/root/item[district = current()/../district]/name",
        '/data/village',
      ),
    ).toEqual(['/data/district'])
    expect(
      paths(
        "instance('villages')/root/item[district = current()/../district]/name",
        '/data/village',
        true,
      ),
    ).toEqual([
      '/data/district',
      "instance('villages')/root/item/district",
      "instance('villages')/root/item/name",
    ])
  })

  it('resolves predicate paths against the step they filter', () => {
    expect(paths('/data/rep[name = ../target]/value', '/data/x')).toEqual([
      '/data/rep/name',
      '/data/rep/value',
      '/data/target',
    ])
  })

  it('keeps // as a marker and reads attributes, indexed-repeat and jr:choice-name paths', () => {
    expect(paths('count(/data//age)')).toEqual(['/data//age'])
    expect(paths('/data/@version')).toEqual(['/data/@version'])
    expect(paths('indexed-repeat(/data/r/x, /data/r, ../i)', '/data/y')).toEqual([
      '/data/i',
      '/data/r',
      '/data/r/x',
    ])
    expect(paths("jr:choice-name(../q, '../q')", '/data/label')).toEqual(['/data/q'])
  })

  it('counts zero-argument context readers as reading the context node', () => {
    expect(paths('string-length() > 3', '/data/name')).toEqual(['/data/name'])
    expect(paths('position(..) + 1', '/data/r/x')).toEqual(['/data/r'])
  })

  it('returns nothing for constant expressions', () => {
    expect(paths("concat('a', 1 + 2)")).toEqual([])
    expect(paths('today()')).toEqual([])
  })
})
