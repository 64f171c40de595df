// Form runtime benchmark of issue 4, Outpost and @getodk/xforms-engine (the oracle) in one run,
// in Node (ODK on jsdom) and in headless Chromium: (a) 1,000 questions with 200 relevance
// expressions and 100 calculates, (b) a 20,000-choice select filtered by a previous answer.
// Load, recompute after one answer (p50/p95), refilter, heap. Writes bench-results/forms.json.
import { mkdirSync, writeFileSync } from 'node:fs'
import { loadavg } from 'node:os'
import { createOdkInstance } from '../shared/forms/differential/oracle-env'
import { runInChromium } from './forms-browser/chromium'
import { bigForm, cascadeForm } from './forms-browser/forms'
import { counts, measureAll, type Env } from './forms-browser/measure'

const heapMb = (): number => {
  globalThis.gc?.()
  return process.memoryUsage().heapUsed / 1024 / 1024
}

const loadBefore = loadavg()
const forms = { big: bigForm(), cascade: cascadeForm() }
const nodeEnv: Env = { heapMb, createOdk: async (xml) => await createOdkInstance(xml, () => undefined) }

console.log('Node…')
const node = await measureAll(forms, nodeEnv)
console.log(JSON.stringify(node, null, 2))
console.log('Chromium…')
const browser = await runInChromium(forms)
console.log(JSON.stringify(browser, null, 2))

const results = {
  machine: { node: process.version, cpus: 2 },
  // 1, 5 and 15 minute load averages when the run started and ended (the machine is shared).
  loadAverage: { before: loadBefore.map((n) => Math.round(n * 100) / 100), after: loadavg().map((n) => Math.round(n * 100) / 100) },
  forms: { bigBytes: forms.big.length, cascadeBytes: forms.cascade.length },
  edits: counts,
  node,
  chromium: browser,
  goals: { loadMs: 300, recomputeP95Ms: 5, refilterMs: 20, cascadeFasterThanOracle: 10 },
}
mkdirSync('bench-results', { recursive: true })
writeFileSync('bench-results/forms.json', `${JSON.stringify(results, null, 2)}\n`)
