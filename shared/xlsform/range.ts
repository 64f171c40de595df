import type { Build } from './build-context'
import type { QuestionNode } from './form-model'
import { paramError, readParameters } from './parameters'

const keys = ['start', 'end', 'step', 'tick_interval', 'placeholder', 'tick_labelset']
const tickAppearances = new Set([
  '',
  'vertical',
  'no-ticks',
  'vertical no-ticks',
  'no-ticks vertical',
])
const numberPattern = /^-?(\d+\.?\d*|\.\d+)$/

export type RangeSpec = { attrs: Record<string, string>; decimal: boolean; labelset?: string }

function isMultiple(value: number, step: number): boolean {
  const ratio = value / step
  return Math.abs(ratio - Math.round(ratio)) < 1e-9
}

/** Validates range parameters the way pyxform does and returns the control's attributes. */
/** Checks the numbers themselves; returns the first problem, in pyxform's order of checks. */
function numericProblem(num: Record<string, number | undefined>, b: Bounds): string | undefined {
  for (const k of ['step', 'tick_interval'] as const) {
    const v = k === 'step' ? b.step : num.tick_interval
    if (v === undefined) continue
    if (v === 0) return `the parameter '${k}' must not be '0' (zero).`
    if (Math.abs(v) > Math.abs(b.end - b.start))
      return `the parameter '${k}' must not be larger than the range (the difference between 'start' and 'end').`
  }
  if (num.tick_interval !== undefined && !isMultiple(num.tick_interval, b.step))
    return "the parameter 'tick_interval' must be a multiple of 'step'."
  const p = num.placeholder
  if (p !== undefined && !isMultiple(p - b.start, b.step))
    return "the parameter 'placeholder' must be a multiple of 'step'."
  if (p !== undefined && (p < b.lo || p > b.hi))
    return "the parameter 'placeholder' must be between the 'start' and 'end' values, inclusive)."
  return undefined
}

function parseNumbers(text: Record<string, string>): Record<string, number> | string {
  const num: Record<string, number> = {}
  for (const k of ['start', 'end', 'step', 'tick_interval', 'placeholder']) {
    const v = text[k]
    if (v === undefined) continue
    if (!numberPattern.test(v)) return `the parameter '${k}' must be a number.`
    num[k] = Number(v)
  }
  return num
}

function controlAttrs(text: Record<string, string>): Record<string, string> {
  const attrs: Record<string, string> = {
    start: text.start ?? '1',
    end: text.end ?? '10',
    step: text.step ?? '1',
  }
  if (text.tick_interval !== undefined) attrs['odk:tick-interval'] = text.tick_interval
  if (text.placeholder !== undefined) attrs['odk:placeholder'] = text.placeholder
  return attrs
}

/** Validates range parameters the way pyxform does and returns the control's attributes. */
export function rangeSpec(build: Build, q: QuestionNode): RangeSpec | undefined {
  const params = readParameters(build.diags, q, keys)
  if (!params) return undefined
  const fail = (m: string): undefined => {
    paramError(build.diags, q, `For the 'range' question type, ${m}`)
    return undefined
  }
  const text: Record<string, string> = { start: '1', end: '10', step: '1', ...params }
  const num = parseNumbers(text)
  if (typeof num === 'string') return fail(num)
  const [start, end, step] = [num.start ?? 1, num.end ?? 10, num.step ?? 1]
  const appearance = (q.row.values['control::appearance'] ?? '').trim().replace(/\s+/g, ' ')
  const b: Bounds = {
    start,
    end,
    step,
    lo: Math.min(start, end),
    hi: Math.max(start, end),
    tick: num.tick_interval,
    appearance,
  }
  const problem = numericProblem(num, b)
  if (problem) return fail(problem)
  const usesTicks = ['tick_interval', 'placeholder', 'tick_labelset'].some(
    (k) => params[k] !== undefined,
  )
  if (usesTicks && !tickAppearances.has(appearance))
    return fail(
      "the parameters 'tick_interval', 'placeholder', and 'tick_labelset' are only supported for the appearances 'vertical', 'no-ticks', 'vertical no-ticks', and the default (empty) horizontal.",
    )
  if (params.tick_labelset !== undefined && !checkLabelset(build, q, params.tick_labelset, b, fail))
    return undefined
  const decimal = ['start', 'end', 'step'].some((k) => (text[k] ?? '').includes('.'))
  return { attrs: controlAttrs(text), decimal, labelset: params.tick_labelset }
}

type Bounds = {
  start: number
  end: number
  step: number
  lo: number
  hi: number
  tick?: number
  appearance: string
}

function checkLabelset(
  build: Build,
  q: QuestionNode,
  name: string,
  b: Bounds,
  fail: (m: string) => undefined,
): boolean {
  const list = build.choices.get(name)
  if (!list)
    return (
      fail(
        "the parameter 'tick_labelset' must be a choice list name from the 'list_name' column on the choices sheet.",
      ) ?? false
    )
  const values: number[] = []
  for (const c of list.choices) {
    if (!numberPattern.test(c.name))
      return fail("the parameter 'unknown' choice values must all be numbers.") ?? false
    values.push(Number(c.name))
  }
  if (b.appearance.split(/\s+/).includes('no-ticks')) {
    if (new Set(values).size > 2)
      return (
        fail(
          "the parameter 'tick_labelset' choice list must have only 2 items when the 'appearance' is 'no-ticks'.",
        ) ?? false
      )
    if (values.some((v) => v !== b.start && v !== b.end))
      return (
        fail(
          "the parameter 'tick_labelset' choice list values may onlymatch the range 'start' and 'end' values when the 'appearance' is 'no-ticks'.",
        ) ?? false
      )
  }
  for (const v of values) {
    if (v < b.lo || v > b.hi)
      return (
        fail(
          "the parameter 'tick_labelset' choices must be between the 'start' and 'end' values, inclusive.",
        ) ?? false
      )
    const unit = b.tick ?? b.step
    if (!isMultiple(v - b.start, unit))
      return (
        fail(
          `the parameter 'tick_labelset' choices' values must be equal to the start of the range plus a multiple of '${b.tick !== undefined ? 'tick_interval' : 'step'}'.`,
        ) ?? false
      )
  }
  return true
}
