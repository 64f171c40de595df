// Form runtime benchmark (Node): load and recompute on a 1,000-question form, and refiltering a
// 20,000-choice cascading select. Writes bench-results/forms.json. The Chromium run and the
// @getodk/xforms-engine comparison of issue 4 are not in this script yet.
import { mkdirSync, writeFileSync } from 'node:fs'
import { parseXForm } from '../../shared/forms/runtime/definition'
import { FormEngine } from '../../shared/forms/runtime/engine'
import type { InstanceNode } from '../../shared/forms/runtime/instance'
import { compileWorkbook, readMarkdown } from '../../shared/xlsform/index'

const row = (cells: string[]) => `| | ${cells.join(' | ')} |`

function compile(md: string): string {
  const result = compileWorkbook(readMarkdown(md), { formName: 'data' })
  if (!result.xml) throw new Error(result.errors.map((e) => e.message).join('\n'))
  return result.xml
}

/** 1,000 questions: q1 drives 200 relevance expressions and a chain of 100 calculates. */
function bigForm(): string {
  const lines = ['| survey |', row(['type', 'name', 'label', 'relevant', 'calculation'])]
  lines.push(row(['integer', 'q1', 'Q1', '', '']))
  for (let i = 2; i <= 900; i++) lines.push(row(['integer', `q${i}`, `Q${i}`, i <= 201 ? `\${q1} > ${i % 50}` : '', '']))
  for (let i = 1; i <= 100; i++) lines.push(row(['calculate', `c${i}`, '', '', i === 1 ? '${q1} * 2' : `\${c${i - 1}} + \${q${i + 1}}`]))
  return lines.join('\n')
}

/** A select of 20,000 villages filtered by one of 200 districts. */
function cascadeForm(): string {
  const lines = ['| survey |', row(['type', 'name', 'label', 'choice_filter'])]
  lines.push(row(['select_one district', 'district', 'District', '']))
  lines.push(row(['select_one village', 'village', 'Village', 'district = ${district}']))
  lines.push('| choices |', row(['list_name', 'name', 'label', 'district']))
  for (let d = 0; d < 200; d++) lines.push(row(['district', `d${d}`, `District ${d}`, '']))
  for (let v = 0; v < 20_000; v++) lines.push(row(['village', `v${v}`, `Village ${v}`, `d${v % 200}`]))
  return lines.join('\n')
}

const percentile = (values: number[], p: number) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(values.length * p))] ?? 0
const round = (n: number) => Math.round(n * 1000) / 1000
const heapMb = () => {
  globalThis.gc?.()
  return Math.round((process.memoryUsage().heapUsed / 1024 / 1024) * 10) / 10
}

function timeLoad(xml: string): { engine: FormEngine; loadMs: number } {
  const started = performance.now()
  const engine = new FormEngine(parseXForm(xml))
  return { engine, loadMs: performance.now() - started }
}

function measureBig() {
  const xml = compile(bigForm())
  const loads = Array.from({ length: 5 }, () => timeLoad(xml).loadMs)
  const { engine } = timeLoad(xml)
  const q1 = engine.nodesAt('/data/q1')[0] as InstanceNode
  const times: number[] = []
  for (let i = 0; i < 200; i++) {
    const started = performance.now()
    engine.setValue(q1, String(i % 60))
    times.push(performance.now() - started)
  }
  return { questions: 1000, relevance: 200, calculates: 100, loadMsMedian: round(percentile(loads, 0.5)), recomputeMsP50: round(percentile(times, 0.5)), recomputeMsP95: round(percentile(times, 0.95)), heapMb: heapMb() }
}

function measureCascade() {
  const xml = compile(cascadeForm())
  const loads = Array.from({ length: 3 }, () => timeLoad(xml).loadMs)
  const { engine } = timeLoad(xml)
  const district = engine.nodesAt('/data/district')[0] as InstanceNode
  const village = engine.nodesAt('/data/village')[0] as InstanceNode
  const control = engine.controlAt('/data/village')
  if (!control) throw new Error('no village control')
  const times: number[] = []
  let shown = 0
  for (let i = 0; i < 200; i++) {
    const started = performance.now()
    engine.setValue(district, `d${(i * 7) % 200}`)
    shown = engine.labels.choices(control, village).length
    times.push(performance.now() - started)
  }
  return { choices: 20_000, districts: 200, shownPerDistrict: shown, loadMsMedian: round(percentile(loads, 0.5)), refilterMsP50: round(percentile(times, 0.5)), refilterMsP95: round(percentile(times, 0.95)), heapMb: heapMb() }
}

const results = { machine: { node: process.version, cpus: 2 }, big: measureBig(), cascade: measureCascade(), goals: { loadMs: 300, recomputeP95Ms: 5, refilterMs: 20 } }
mkdirSync('bench-results', { recursive: true })
writeFileSync('bench-results/forms.json', `${JSON.stringify(results, null, 2)}\n`)
console.log(JSON.stringify(results, null, 2))
