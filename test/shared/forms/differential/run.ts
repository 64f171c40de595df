/**
 * The long differential run: `npx tsx test/shared/forms/differential/run.ts [--seeds 3] [--steps 40]
 * [--generated 200] [--only odk|pyxform|generated] [--match text] [--verbose]`. Prints the
 * agreement rate per source and every class of disagreement with one example.
 */
import { parseArgs } from 'node:util'
import type { FormCase } from './drive'
import { classes, explainedClasses, formatSummary, runAll } from './report'
import { generatedCases, odkFixtureCases, pyxformCases } from './sources'

const { values } = parseArgs({
  options: {
    seeds: { type: 'string', default: '3' },
    steps: { type: 'string', default: '40' },
    generated: { type: 'string', default: '200' },
    only: { type: 'string' },
    match: { type: 'string' },
    verbose: { type: 'boolean', default: false },
    skipped: { type: 'boolean', default: false },
  },
})

const wanted = (source: string) => !values.only || values.only === source
let cases: FormCase[] = [
  ...(wanted('odk') ? odkFixtureCases() : []),
  ...(wanted('pyxform') ? pyxformCases() : []),
  ...(wanted('generated') ? generatedCases(Number(values.generated), 1000) : []),
]
if (values.match) cases = cases.filter((c) => c.name.includes(values.match ?? ''))

const started = performance.now()
const summary = await runAll(cases, {
  seeds: Number(values.seeds),
  steps: Number(values.steps),
  onForm: (run) => {
    if (run.skipped && values.skipped) console.log(`skipped ${run.form}: ${run.skipped}`)
    if (run.oracleFailed) console.log(`ODK's engine failed on ${run.form} at ${run.oracleFailed}; the run stops there`)
    if (values.verbose) console.log(`${run.form}: ${run.agreed}/${run.steps} (${((performance.now() - started) / 1000).toFixed(1)} s)`)
  },
})
console.log(formatSummary(summary))
console.log(`(${((performance.now() - started) / 1000).toFixed(1)} s)\n\nSteps explained by ODK Web Forms' departures from JavaRosa (shared/forms/xpath/README.md):`)
for (const [name, steps] of explainedClasses(summary)) console.log(`${String(steps).padStart(5)} ${name}`)
console.log(`\nDisagreement classes (steps affected · aspect · form · where):`)
for (const c of classes(summary)) {
  const e = c.example
  const detail = e.aspect === 'xml' && !values.verbose ? `ours ${e.ours.slice(0, 300)}\n      odk  ${e.theirs.slice(0, 300)}` : `ours ${e.ours} · odk ${e.theirs}`
  console.log(`${String(c.steps).padStart(5)} ${c.key}\n      after step ${e.step} (${e.action})\n      ${detail}`)
}
