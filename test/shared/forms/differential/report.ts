import { runForm, type Disagreement, type FormCase, type FormRun, type Source } from './drive'

/** `explained`: steps where the only disagreements are ODK Web Forms' classified departures from JavaRosa. */
export type SourceTotals = { forms: number; skipped: number; steps: number; agreed: number; explained: number }
export type Summary = { bySource: Record<Source, SourceTotals>; runs: FormRun[] }

/** Runs every case with `seeds` seeded sequences of `steps` actions each. */
export async function runAll(cases: FormCase[], options: { seeds: number; steps: number; onForm?: (run: FormRun) => void }): Promise<Summary> {
  const empty = (): SourceTotals => ({ forms: 0, skipped: 0, steps: 0, agreed: 0, explained: 0 })
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
      totals.explained += run.explained
    }
  }
  return { bySource, runs }
}

export const rate = (t: { steps: number; agreed: number }): number => (t.steps === 0 ? 1 : t.agreed / t.steps)

/** Agreement counting the steps explained by ODK's classified defects as agreeing. */
export const rateExplained = (t: { steps: number; agreed: number; explained: number }): number =>
  t.steps === 0 ? 1 : (t.agreed + t.explained) / t.steps

export function overall(summary: Summary): { steps: number; agreed: number; explained: number } {
  const all = Object.values(summary.bySource)
  const total = (key: 'steps' | 'agreed' | 'explained') => all.reduce((n, t) => n + t[key], 0)
  return { steps: total('steps'), agreed: total('agreed'), explained: total('explained') }
}

/** Steps explained per ODK defect class (shared/forms/xpath/README.md), most first. */
export function explainedClasses(summary: Summary): Array<[string, number]> {
  const counts = new Map<string, number>()
  for (const run of summary.runs) for (const [name, n] of Object.entries(run.explainedBy)) counts.set(name, (counts.get(name) ?? 0) + n)
  return [...counts.entries()].sort((a, b) => b[1] - a[1])
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
    lines.push(
      `${source}: ${t.forms} forms (${t.skipped} not loaded by both), ${t.agreed}/${t.steps} steps agree (${(rate(t) * 100).toFixed(2)}%), ` +
        `${t.agreed + t.explained}/${t.steps} with ODK's known defects explained (${(rateExplained(t) * 100).toFixed(2)}%)`,
    )
  }
  const all = overall(summary)
  lines.push(`overall: ${all.agreed}/${all.steps} (${(rate(all) * 100).toFixed(2)}%), explained ${all.agreed + all.explained}/${all.steps} (${(rateExplained(all) * 100).toFixed(2)}%)`)
  return lines.join('\n')
}
