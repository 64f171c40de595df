import { runForm, type Disagreement, type FormCase, type FormRun, type Source } from './drive'

export type SourceTotals = { forms: number; skipped: number; steps: number; agreed: number }
export type Summary = { bySource: Record<Source, SourceTotals>; runs: FormRun[] }

/** Runs every case with `seeds` seeded sequences of `steps` actions each. */
export async function runAll(cases: FormCase[], options: { seeds: number; steps: number; onForm?: (run: FormRun) => void }): Promise<Summary> {
  const empty = (): SourceTotals => ({ forms: 0, skipped: 0, steps: 0, agreed: 0 })
  const bySource: Record<Source, SourceTotals> = { odk: empty(), pyxform: empty(), generated: empty() }
  const runs: FormRun[] = []
  for (const form of cases) {
    const totals = bySource[form.source]
    totals.forms++
    for (let seed = 1; seed <= options.seeds; seed++) {
      // The two 370 KB performance fixtures take ODK's engine seconds per step: a few suffice.
      const steps = form.xml.length > 100_000 ? Math.min(options.steps, 3) : options.steps
      const run = await runForm(form, seed * 7919, steps)
      runs.push(run)
      options.onForm?.(run)
      if (run.skipped) {
        totals.skipped++
        break
      }
      totals.steps += run.steps
      totals.agreed += run.agreed
    }
  }
  return { bySource, runs }
}

export const rate = (t: { steps: number; agreed: number }): number => (t.steps === 0 ? 1 : t.agreed / t.steps)

export function overall(summary: Summary): { steps: number; agreed: number } {
  const all = Object.values(summary.bySource)
  return { steps: all.reduce((n, t) => n + t.steps, 0), agreed: all.reduce((n, t) => n + t.agreed, 0) }
}

/** Disagreements grouped by aspect, form and the question's path (positions dropped). */
export function classes(summary: Summary): Array<{ key: string; steps: number; example: Disagreement }> {
  const groups = new Map<string, { steps: Set<string>; example: Disagreement }>()
  for (const run of summary.runs) {
    for (const d of run.disagreements) {
      const key = `${d.aspect} · ${d.form} · ${d.aspect === 'xml' ? d.ref.replace(/@\d+$/, '') : d.ref.replace(/\[\d+\]/g, '')}`
      const group = groups.get(key) ?? { steps: new Set<string>(), example: d }
      group.steps.add(`${d.step}:${d.action}:${run.steps}`)
      groups.set(key, group)
    }
  }
  return [...groups.entries()].map(([key, g]) => ({ key, steps: g.steps.size, example: g.example })).sort((a, b) => b.steps - a.steps)
}

export function formatSummary(summary: Summary): string {
  const lines: string[] = []
  for (const [source, t] of Object.entries(summary.bySource)) {
    lines.push(`${source}: ${t.forms} forms (${t.skipped} not loaded by both), ${t.agreed}/${t.steps} steps agree (${(rate(t) * 100).toFixed(2)}%)`)
  }
  const all = overall(summary)
  lines.push(`overall: ${all.agreed}/${all.steps} (${(rate(all) * 100).toFixed(2)}%)`)
  return lines.join('\n')
}
