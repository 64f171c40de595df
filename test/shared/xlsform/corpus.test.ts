import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { readCases, runCase, summarize } from '../../../scripts/conformance'
import { corpusDir, hasCorpus } from './helpers'

/**
 * The levels the compiler has reached on pyxform's own test corpus. Raise them when the compiler
 * improves; a drop means a regression. (Counts, not percentages, so one lost case shows.)
 */
const reached = {
  allCases: 1273,
  xpathCases: 566,
  erroredCases: 386,
}

describe('pyxform conformance corpus', () => {
  it('is beside the repository (or at OUTPOST_SHARED_DIR)', () => {
    expect(hasCorpus, `${corpusDir}/cases.jsonl is missing`).toBe(true)
  })

  it('keeps the pass levels reached on pyxform’s test cases', () => {
    const results = readCases(path.join(corpusDir, 'cases.jsonl')).map(runCase)
    const s = summarize(results)
    expect(
      results.filter((r) => r.failures.some((f) => f.startsWith('crashed'))).map((r) => r.id),
    ).toEqual([])
    expect(s.passed).toBeGreaterThanOrEqual(reached.allCases)
    expect(s.xpathCases[0]).toBeGreaterThanOrEqual(reached.xpathCases)
    expect(s.erroredCases[0]).toBeGreaterThanOrEqual(reached.erroredCases)
    // The bar: at least 95% of XPath-assertion cases and of must-fail cases.
    expect(s.xpathCases[0] / s.xpathCases[1]).toBeGreaterThanOrEqual(0.95)
    expect(s.erroredCases[0] / s.erroredCases[1]).toBeGreaterThanOrEqual(0.95)
  }, 120_000)
})
