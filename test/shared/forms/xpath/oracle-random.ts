/** Seeded random expressions over ORACLE_FORM's data; the same seed gives the same list. */
type Kind = 'num' | 'str' | 'bool' | 'nodes'

const mulberry32 = (seed: number): (() => number) => {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const S = '/data/s'
const V = "instance('villages')/root/item"
const NODE_PATHS = [
  `${S}/age`,
  `${S}/name`,
  `${S}/empty`,
  `${S}/nothing`,
  `${S}/dec`,
  `${S}/neg`,
  `${S}/fruits`,
  `${S}/dob`,
  `${S}/member/m_age`,
  `${S}/member/m_name`,
  `${S}/member[2]/m_age`,
  `${V}/pop`,
  `${V}/name`,
  `${V}[district = ${S}/district]/pop`,
  `${V}[pop > 100]/name`,
  "instance('d')//item",
  "instance('d')//item/@a",
  `${S}/zero`,
  `${S}/big`,
  `${S}/txt`,
]
const STRINGS = [
  "''",
  "'12'",
  "' 3 '",
  "'abc'",
  "'Ali'",
  "'2020-01-01'",
  "'-1.5'",
  "'a b c'",
  "'banana'",
  "'d2'",
  "'x'",
]
const DATES = [
  "'2020-02-29'",
  "'1999-12-31'",
  "'2020-01-01T10:20:30Z'",
  "'2020-06-15T23:59:59.999+05:30'",
  "'2024-03-10T02:30:00'",
  `${'/data/s'}/dob`,
  `${'/data/s'}/when`,
  "'1970-01-01'",
]
const FORMATS = ["'%Y-%m-%d'", "'%e %b %Y %a'", "'%H:%M:%S.%3'", "'%y/%n/%d %h'"]
const NUMBERS = ['0', '1', '2', '-1', '0.5', '3.75', '10', '100', '-0.25', '7']

type Pick = <T>(items: readonly T[]) => T

const make = (random: () => number) => {
  const pick: Pick = (items) => items[Math.floor(random() * items.length)]!
  const gen = (kind: Kind, depth: number): string => {
    const leaf = depth <= 0 || random() < 0.3
    switch (kind) {
      case 'nodes':
        return pick(NODE_PATHS)
      case 'num':
        return leaf ? pick([...NUMBERS, pick(NODE_PATHS)]) : num(depth - 1)
      case 'str':
        return leaf ? pick([...STRINGS, pick(NODE_PATHS)]) : str(depth - 1)
      case 'bool':
        return leaf ? pick(['true()', 'false()', pick(NODE_PATHS)]) : bool(depth - 1)
    }
  }
  const num = (d: number): string =>
    pick<() => string>([
      () => `${gen('num', d)} ${pick(['+', '-', '*', 'div', 'mod'])} ${gen('num', d)}`,
      () => `-${gen('num', d)}`,
      () => `count(${gen('nodes', d)})`,
      () => `string-length(${gen('str', d)})`,
      () => `number(${gen('str', d)})`,
      () => `${pick(['floor', 'ceiling', 'round', 'int', 'abs'])}(${gen('num', d)})`,
      () => `round(${gen('num', d)}, ${pick(['0', '1', '2'])})`,
      () => `${pick(['min', 'max'])}(${gen('num', d)}, ${gen('num', d)})`,
      () => `if(${gen('bool', d)}, ${gen('num', d)}, ${gen('num', d)})`,
      () => `count-selected(${gen('str', d)})`,
      () => `pow(${gen('num', d)}, ${pick(['0', '1', '2', '0.5'])})`,
      () => `date(${pick(DATES)}) ${pick(['+', '-'])} ${pick(NUMBERS)}`,
      () => `decimal-date-time(${pick(DATES)})`,
      () => `date(${pick(DATES)}) - date(${pick(DATES)})`,
    ])()
  const str = (d: number): string =>
    pick<() => string>([
      () => `concat(${gen('str', d)}, ${gen('str', d)})`,
      () => `substring(${gen('str', d)}, ${gen('num', d)}, ${gen('num', d)})`,
      () => `substring(${gen('str', d)}, ${gen('num', d)})`,
      () => `substr(${gen('str', d)}, ${pick(['0', '1', '2'])}, ${pick(['1', '3', '5'])})`,
      () => `normalize-space(${gen('str', d)})`,
      () => `translate(${gen('str', d)}, 'abc', 'xy')`,
      () => `substring-before(${gen('str', d)}, ${gen('str', d)})`,
      () => `substring-after(${gen('str', d)}, ${gen('str', d)})`,
      () => `string(${gen('num', d)})`,
      () => `string(${gen('bool', d)})`,
      () => `coalesce(${gen('str', d)}, ${gen('str', d)})`,
      () => `if(${gen('bool', d)}, ${gen('str', d)}, ${gen('str', d)})`,
      () => `selected-at(${gen('str', d)}, ${pick(['0', '1', '2'])})`,
      () => `join(' ', ${gen('nodes', d)})`,
      () => `format-date(${pick(DATES)}, ${pick(FORMATS)})`,
      () => `format-date-time(date(${pick(DATES)}), ${pick(FORMATS)})`,
      () => `string(date(${pick(DATES)}))`,
    ])()
  const bool = (d: number): string =>
    pick<() => string>([
      () =>
        `${gen(pick<Kind>(['num', 'str', 'nodes']), d)} ${pick(['=', '!=', '<', '<=', '>', '>='])} ${gen(pick<Kind>(['num', 'str', 'nodes', 'bool']), d)}`,
      () => `not(${gen('bool', d)})`,
      () => `${gen('bool', d)} ${pick(['and', 'or'])} ${gen('bool', d)}`,
      () => `boolean(${gen(pick<Kind>(['num', 'str', 'nodes']), d)})`,
      () => `contains(${gen('str', d)}, ${gen('str', d)})`,
      () => `starts-with(${gen('str', d)}, ${gen('str', d)})`,
      () => `selected(${gen('str', d)}, ${gen('str', d)})`,
      () => `regex(${gen('str', d)}, '${pick(['^a', '[0-9]', '^$', 'b.n'])}')`,
      () => `date(${pick(DATES)}) ${pick(['<', '=', '>='])} ${pick([...DATES, 'today()'])}`,
    ])()
  return gen
}

export const randomExpressions = (count: number, seed: number): string[] => {
  const random = mulberry32(seed)
  const gen = make(random)
  const kinds: Kind[] = ['num', 'str', 'bool']
  return Array.from({ length: count }, (_, i) => gen(kinds[i % kinds.length]!, 3))
}
