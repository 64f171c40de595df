import { describe, expect, it } from 'vitest'
import {
  compileXPath,
  modelFromXForm,
  systemTimeZone,
  type FunctionDefinition,
  type MemoryModel,
} from '../../../../shared/forms/xpath'
import { buildForm, evaluateWithOracle, parseXml, type OracleResult } from './oracle'
import { HAND_WRITTEN, ORACLE_FORM } from './oracle-fixture'
import { classifyDisagreement, type Outcome } from './oracle-classes'
import { randomExpressions } from './oracle-random'

type Functions = Readonly<Record<string, FunctionDefinition>>

const evaluateOurs = (
  model: MemoryModel,
  expr: string,
  i: number,
  functions?: Functions,
): Outcome => {
  const [node] = compileXPath(`/data/out/r${i}`).evaluateNodes({ model })
  try {
    const compiled = compileXPath(expr, functions === undefined ? undefined : { functions })
    return { value: compiled.evaluateString({ model, node, hooks: { timeZone: systemTimeZone } }) }
  } catch (error) {
    return { error: error instanceof Error ? error.message : String(error) }
  }
}

const compare = async (expressions: readonly string[]) => {
  const oracle: OracleResult[] = []
  for (let i = 0; i < expressions.length; i += 100) {
    oracle.push(...(await evaluateWithOracle(ORACLE_FORM, expressions.slice(i, i + 100))))
  }
  const model = modelFromXForm(parseXml(buildForm(ORACLE_FORM, expressions)), { index: true })
  const ours = expressions.map((expr, i) => evaluateOurs(model, expr, i))
  const classes = new Map<string, string[]>()
  let agree = 0
  expressions.forEach((expr, i) => {
    const verdict = classifyDisagreement(expr, ours[i]!, oracle[i]!, (e, functions) =>
      evaluateOurs(model, e, i, functions),
    )
    if (verdict === null) {
      agree += 1
      return
    }
    classes.set(verdict, [
      ...(classes.get(verdict) ?? []),
      `${expr}  ours=${JSON.stringify(ours[i])} odk=${JSON.stringify(oracle[i])}`,
    ])
  })
  return { agree, total: expressions.length, classes }
}

const report = (label: string, result: Awaited<ReturnType<typeof compare>>): void => {
  const lines = [
    `${label}: ${result.agree}/${result.total} agree (${((100 * result.agree) / result.total).toFixed(1)}%)`,
  ]
  for (const [name, examples] of result.classes)
    lines.push(
      `  ${name}: ${examples.length}`,
      ...examples.slice(0, Number(process.env.ORACLE_EXAMPLES ?? 3)).map((e) => `    ${e}`),
    )
  console.log(lines.join('\n'))
}

describe('differential test against ODK Web Forms (@getodk/xforms-engine 0.22)', () => {
  it('agrees on the hand-written expressions except for documented ODK deviations', async () => {
    const result = await compare(HAND_WRITTEN)
    report('hand-written', result)
    expect(result.classes.get('unexplained') ?? []).toEqual([])
    expect(result.agree / result.total).toBeGreaterThan(0.85)
  }, 120_000)

  it('agrees on 900 seeded random expressions except for documented ODK deviations', async () => {
    const result = await compare(randomExpressions(900, 20260523))
    report('random', result)
    expect(result.classes.get('unexplained') ?? []).toEqual([])
    expect(result.agree / result.total).toBeGreaterThan(0.85)
  }, 120_000)
})
