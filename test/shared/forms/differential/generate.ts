import { random } from './drive'

/**
 * Random XLSForms (as Markdown) that mix what real forms mix: typed questions, relevance on
 * earlier answers, constraints, required, calculations, groups, repeats with and without a
 * count, and a cascading select. The same seed always gives the same form.
 */
type Kind = 'integer' | 'decimal' | 'text' | 'one' | 'multi' | 'date' | 'calc'
type Question = { name: string; kind: Kind; inRepeat: boolean }
type Row = { type: string; name: string; relevant?: string; constraint?: string; required?: string; calculation?: string; count?: string; filter?: string }

const columns = ['type', 'name', 'label', 'relevant', 'constraint', 'required', 'calculation', 'repeat_count', 'choice_filter'] as const

function conditionOn(q: Question, rand: () => number): string {
  const r = `\${${q.name}}`
  const options: Record<Kind, string[]> = {
    integer: [`${r} > 3`, `${r} != ''`, `${r} mod 2 = 0`, `${r} <= 10`],
    decimal: [`${r} > 1.5`, `${r} * 2 < 10`, `${r} != ''`],
    text: [`${r} = 'yes'`, `string-length(${r}) > 2`, `contains(${r}, 'a')`, `${r} != ''`],
    one: [`${r} = 'b'`, `selected(${r}, 'a')`, `${r} != 'c'`],
    multi: [`selected(${r}, 'c')`, `count-selected(${r}) >= 2`, `not(selected(${r}, 'a'))`],
    date: [`${r} != ''`, `${r} > '2020-01-01'`, `format-date(${r}, '%Y') = '2024'`],
    calc: [`${r} != ''`, `${r} > 5`, `string-length(${r}) > 3`],
  }
  const list = options[q.kind]
  return list[Math.floor(rand() * list.length)] ?? 'true()'
}

function calculationOn(scope: Question[], rand: () => number): string {
  const numbers = scope.filter((q) => q.kind === 'integer' || q.kind === 'decimal')
  const texts = scope.filter((q) => q.kind === 'text' || q.kind === 'one')
  const ref = (list: Question[]) => `\${${(list[Math.floor(rand() * list.length)] as Question).name}}`
  const forms: string[] = ["concat('n', '-', 1)"]
  if (numbers.length > 0) forms.push(`${ref(numbers)} + ${ref(numbers)}`, `if(${ref(numbers)} > 5, 'big', 'small')`, `round(${ref(numbers)} * 1.5, 1)`, `coalesce(${ref(numbers)}, 0) * 2`)
  if (texts.length > 0) forms.push(`concat(${ref(texts)}, '/', ${ref(texts)})`, `string-length(${ref(texts)})`)
  const multis = scope.filter((q) => q.kind === 'multi')
  if (multis.length > 0) forms.push(`count-selected(${ref(multis)})`, `join(',', ${ref(multis)})`)
  return forms[Math.floor(rand() * forms.length)] ?? "'x'"
}

const constraints: Partial<Record<Kind, string[]>> = {
  integer: ['. >= 0 and . <= 100', '. != 7', '. < 50'],
  decimal: ['. > 0', '. < 10.5'],
  text: ['string-length(.) <= 5', "not(contains(., ' '))"],
  date: [". <= '2024-06-01'"],
}

const typeOf: Record<Kind, string> = { integer: 'integer', decimal: 'decimal', text: 'text', one: 'select_one abc', multi: 'select_multiple abc', date: 'date', calc: 'calculate' }
const kinds: Kind[] = ['integer', 'integer', 'decimal', 'text', 'text', 'one', 'multi', 'date', 'calc']

function question(name: string, inRepeat: boolean, earlier: Question[], rand: () => number): { q: Question; row: Row } {
  const kind = kinds[Math.floor(rand() * kinds.length)] ?? 'text'
  const q: Question = { name, kind, inRepeat }
  // Outside a repeat, only read answers outside repeats: ${x} of a repeat is a node-set there.
  const visible = earlier.filter((e) => inRepeat || !e.inRepeat)
  const row: Row = { type: typeOf[kind], name }
  if (kind === 'calc') row.calculation = calculationOn(visible, rand)
  if (visible.length > 0 && rand() < 0.35) row.relevant = conditionOn(visible[Math.floor(rand() * visible.length)] as Question, rand)
  const constraint = constraints[kind]
  if (constraint && rand() < 0.3) row.constraint = constraint[Math.floor(rand() * constraint.length)]
  if (kind !== 'calc' && rand() < 0.2) row.required = rand() < 0.5 ? 'yes' : conditionOn(visible[0] ?? q, rand)
  return { q, row }
}

function cascade(rows: Row[], earlier: Question[]): void {
  rows.push({ type: 'select_one district', name: 'district' })
  rows.push({ type: 'select_one village', name: 'village', filter: 'district=${district}' })
  earlier.push({ name: 'district', kind: 'one', inRepeat: false }, { name: 'village', kind: 'one', inRepeat: false })
}

function repeatBlock(rows: Row[], earlier: Question[], index: number, rand: () => number): void {
  const name = `rep${index}`
  const counted = earlier.find((q) => q.kind === 'integer' && !q.inRepeat)
  const row: Row = { type: 'begin_repeat', name }
  if (counted && rand() < 0.4) row.count = `if(\${${counted.name}} > 4, 4, \${${counted.name}})`
  rows.push(row)
  const inner: Question[] = []
  for (let i = 0; i < 2 + Math.floor(rand() * 3); i++) {
    const { q, row: innerRow } = question(`${name}_q${i}`, true, [...earlier.filter((e) => !e.inRepeat), ...inner], rand)
    rows.push(innerRow)
    inner.push(q)
  }
  rows.push({ type: 'end_repeat', name: '' })
  rows.push({ type: 'calculate', name: `${name}_n`, calculation: `count(\${${name}})` })
  const numeric = inner.find((q) => q.kind === 'integer' || q.kind === 'decimal')
  if (numeric) rows.push({ type: 'calculate', name: `${name}_sum`, calculation: `sum(\${${numeric.name}})` })
  earlier.push(...inner, { name: `${name}_n`, kind: 'calc', inRepeat: false })
}

const cell = (text: string | undefined): string => (text ?? '').replace(/\|/g, '\\|')

export function generateForm(seed: number): string {
  const rand = random(seed)
  const rows: Row[] = []
  const earlier: Question[] = []
  let repeats = 0
  const size = 6 + Math.floor(rand() * 14)
  for (let i = 0; i < size; i++) {
    const roll = rand()
    if (roll < 0.08 && repeats < 2) repeatBlock(rows, earlier, ++repeats, rand)
    else if (roll < 0.12 && !earlier.some((q) => q.name === 'district')) cascade(rows, earlier)
    else if (roll < 0.16) {
      rows.push({ type: 'begin_group', name: `g${i}`, relevant: earlier.length > 0 ? conditionOn(earlier.filter((q) => !q.inRepeat)[0] ?? (earlier[0] as Question), rand) : undefined })
      const { q, row } = question(`q${i}`, false, earlier, rand)
      rows.push(row, { type: 'end_group', name: '' })
      earlier.push(q)
    } else {
      const { q, row } = question(`q${i}`, false, earlier, rand)
      rows.push(row)
      earlier.push(q)
    }
  }
  const survey = rows.map((r) => `| | ${[r.type, r.name, r.name ? `Label ${r.name}` : '', r.relevant, r.constraint, r.required, r.calculation, r.count, r.filter].map(cell).join(' | ')} |`)
  const choices = [
    ...['a', 'b', 'c', 'd'].map((v) => `| | abc | ${v} | Choice ${v} | |`),
    ...['d1', 'd2', 'd3'].map((v) => `| | district | ${v} | District ${v} | |`),
    ...Array.from({ length: 12 }, (_, i) => `| | village | v${i} | Village ${i} | d${(i % 3) + 1} |`),
  ]
  return [`| survey |`, `| | ${columns.join(' | ')} |`, ...survey, '', '| choices |', '| | list_name | name | label | district |', ...choices, ''].join('\n')
}
