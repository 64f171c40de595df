// XPath engine benchmark: `npx tsx test/bench/xpath.ts` (or `npm run bench -- xpath`).
// Times compiling and evaluating typical relevance, constraint and calculate expressions over a
// household form, and a 50,000-item cascading-select filter with the index hook and by scanning.
// Results go to bench-results/xpath.json.
import { mkdirSync, writeFileSync } from 'node:fs'
import {
  compileXPath,
  element,
  fixedTimeZone,
  memoryModel,
  MemoryNode,
  type EvaluationContext,
  type MemoryModel,
} from '../../shared/forms/xpath/index'

const ITEMS = 50_000
const DISTRICTS = 500
const hooks = { clock: () => Date.UTC(2024, 2, 15), timeZone: fixedTimeZone(0), random: () => 0.5 }

const members = Array.from({ length: 20 }, (_, i) => ({
  name: 'member',
  children: [
    { name: 'm_name', children: `Person ${i}` },
    { name: 'm_age', children: String(5 + ((i * 7) % 70)) },
    { name: 'm_sex', children: i % 2 === 0 ? 'f' : 'm' },
  ],
}))

const buildModel = (index: boolean): MemoryModel =>
  memoryModel({
    primary: element({
      name: 'data',
      children: [
        { name: 'first', children: 'Amina' },
        { name: 'last', children: 'Odhiambo' },
        { name: 'age', children: '34' },
        { name: 'consent', children: 'yes' },
        { name: 'fruits', children: 'apple banana cherry' },
        { name: 'dob', children: '1990-05-17' },
        { name: 'district', children: 'd123' },
        ...members,
      ],
    }),
    instances: {
      villages: element({
        name: 'root',
        children: Array.from({ length: ITEMS }, (_, i) => ({
          name: 'item',
          children: [
            { name: 'name', children: `v${i}` },
            { name: 'label', children: `Village ${i}` },
            { name: 'district', children: `d${i % DISTRICTS}` },
          ],
        })),
      }),
    },
    index,
  })

const TYPICAL: Record<string, string> = {
  relevance: "/data/age >= 18 and selected(/data/consent, 'yes')",
  relevanceRelative: "../m_age > 15 and ../m_sex = 'f'",
  constraint: '. >= 0 and . <= 120',
  constraintRegex: "regex(., '^[A-Z][a-z]+$')",
  calculateConcat: "concat(/data/first, ' ', /data/last)",
  calculateIf: "if(/data/age > 17, 'adult', 'minor')",
  calculateCount: 'count(/data/member[m_age > 17])',
  calculateMean: 'round(sum(/data/member/m_age) div count(/data/member), 1)',
  calculateDate: 'int((today() - date(/data/dob)) div 365.25)',
  calculateFormat: "format-date(today(), '%Y-%m-%d')",
  choiceLabel: "jr:choice-name(selected-at(/data/fruits, 0), '/data/fruits')",
}

const percentile = (samples: number[], p: number): number => {
  const sorted = [...samples].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!
}

const round = (ms: number): number => Math.round(ms * 10_000) / 10_000

/** Mean microseconds per call over enough calls to take ~100 ms. */
const microsPerCall = (run: () => void): number => {
  let calls = 0
  const start = performance.now()
  while (performance.now() - start < 100) {
    for (let i = 0; i < 100; i += 1) run()
    calls += 100
  }
  return round(((performance.now() - start) * 1000) / calls)
}

const typical = (model: MemoryModel) => {
  const memberAge = compileXPath('/data/member[3]/m_age').evaluateNodes({ model })[0]!
  const first = compileXPath('/data/first').evaluateNodes({ model })[0]!
  const contexts: Record<string, EvaluationContext> = {
    relevanceRelative: { model, node: memberAge, hooks },
    constraint: { model, node: memberAge, hooks },
    constraintRegex: { model, node: first, hooks },
  }
  const choiceName = { ...hooks, choiceName: (_node: unknown, value: string) => `label ${value}` }
  return Object.fromEntries(
    Object.entries(TYPICAL).map(([name, expr]) => {
      const ctx = contexts[name] ?? { model, hooks: name === 'choiceLabel' ? choiceName : hooks }
      const compiled = compileXPath(expr)
      return [
        name,
        {
          expr,
          compileUs: microsPerCall(() => compileXPath(expr)),
          evaluateUs: microsPerCall(() => compiled.evaluate(ctx)),
        },
      ]
    }),
  )
}

const timeFilter = (model: MemoryModel, runs: number) => {
  const filter = compileXPath("instance('villages')/root/item[district = /data/district]")
  const districtNode = compileXPath('/data/district').evaluateNodes({ model })[0]!
  const buildStart = performance.now()
  const count = filter.evaluateNodes({ model }).length
  const firstMs = performance.now() - buildStart
  const samples = Array.from({ length: runs }, (_, i) => {
    if (districtNode instanceof MemoryNode) districtNode.setText(`d${(i * 37) % DISTRICTS}`)
    const start = performance.now()
    filter.evaluateNodes({ model })
    return performance.now() - start
  })
  return {
    matches: count,
    firstEvaluationMs: round(firstMs),
    p50Ms: round(percentile(samples, 0.5)),
    p95Ms: round(percentile(samples, 0.95)),
  }
}

const main = (): void => {
  const indexedModel = buildModel(true)
  const scanModel = buildModel(false)
  const results = {
    date: new Date().toISOString(),
    node: process.version,
    items: ITEMS,
    // The first pass warms the JIT; the second is the one reported.
    typical: (typical(indexedModel), typical(indexedModel)),
    filter50k: {
      expression: "instance('villages')/root/item[district = /data/district]",
      indexed: timeFilter(indexedModel, 200),
      scan: timeFilter(scanModel, 30),
    },
  }
  mkdirSync('bench-results', { recursive: true })
  writeFileSync('bench-results/xpath.json', `${JSON.stringify(results, null, 2)}\n`)
  console.log(JSON.stringify(results, null, 2))
}

main()
