import type { FunctionDefinition } from '../../../../shared/forms/xpath'
import type { OracleResult } from './oracle'
import { WEB_FORMS_VARIANTS } from './oracle-web-forms'

export type Outcome = { readonly value: string } | { readonly error: string }

/** Re-evaluates an expression with some functions swapped for ODK Web Forms' variants. */
export type Rerun = (
  expr: string,
  functions: Readonly<Record<string, FunctionDefinition>>,
) => Outcome

const BOOLEAN_TEXT = new Set(['true', 'false'])

/** Classes found by looking at the two results alone. */
const padMilliseconds = (text: string): string =>
  text.replace(
    /(T\d{2}:\d{2}:\d{2})(?:\.(\d{1,3}))?(?=[+-]\d{2}:\d{2}|Z)/,
    (_m, time: string, ms: string | undefined) => `${time}.${(ms ?? '').padEnd(3, '0')}`,
  )

const byShape = (expr: string, ours: string, odk: string): string | null => {
  if (ours === 'NaN' && odk === '') return 'nan-written-as-empty'
  if (odk !== ours && padMilliseconds(odk) === ours) return 'datetime-text-trims-milliseconds'
  if (/e[+-]\d+$/.test(odk) && Number(odk) === Number(ours)) return 'exponent-notation'
  if (BOOLEAN_TEXT.has(ours) && !BOOLEAN_TEXT.has(odk) && / (or|and) /.test(expr))
    return 'or-and-returns-an-operand'
  return null
}

/** Single expressions whose difference is explained in README.md, each checked by hand. */
const KNOWN: Readonly<Record<string, string>> = {
  "count(instance('d')/root/group/item/ancestor::*)": 'instance-is-the-instance-element',
  "(instance('d')/root//item)[4]": 'filter-position-after-descendant-axis',
  "(instance('d')/root//item)[last()]": 'filter-position-after-descendant-axis',
  "decimal-time('12:00:00Z')": 'decimal-time-refuses-utc-designator',
  "format-date(date('2020-01-01') + 31, '%d %b')": 'format-date-refuses-day-numbers',
  // A dateTime node compared with a date: JavaRosa counts whole days, Web Forms keeps the time.
  "date('2020-02-29') >= /data/s/when": 'datetimes-count-fractional-days',
  "date('2020-02-29') = /data/s/when": 'datetimes-count-fractional-days',
  // ' ' is NaN for JavaRosa and 0 for JavaScript's Number().
  "substr(' 3 ', 0, 1) <= coalesce('2020-01-01', substring('d2', -1, 1))":
    'number-uses-javascript-parsing',
  // XPath 1.0 section 3.4: a node-set against a boolean compares boolean(node-set); ODK compares each node's number.
  "not(instance('d')//item/@a <= boolean(/data/s/age))":
    'node-set-against-boolean-compared-per-node',
}

/**
 * Names why two results differ, or null when they agree. Each named class is a place where ODK
 * Web Forms departs from XPath 1.0 or JavaRosa (see shared/forms/xpath/README.md); anything else
 * is 'unexplained' and fails the test.
 */
export const classifyDisagreement = (
  expr: string,
  ours: Outcome,
  odk: OracleResult,
  rerun: Rerun,
): string | null => {
  if ('error' in ours && 'error' in odk) return null
  if ('error' in odk) {
    if (odk.error.includes('compareDocumentOrder')) return 'document-order-not-implemented'
    if (odk.error.includes('syntax error') && /-\s*-/.test(expr)) return 'double-minus-refused'
    // JavaRosa's toDate throws too; here an impossible date is '' (or NaN), so a typo cannot stop the form.
    if (/Invalid iso|Invalid Date/.test(odk.error)) return 'impossible-date-is-an-error'
    return KNOWN[expr] ?? 'unexplained'
  }
  if ('error' in ours) return KNOWN[expr] ?? 'unexplained'
  if (ours.value === odk.value) return null
  const shape = byShape(expr, ours.value, odk.value)
  if (shape !== null) return shape
  if (KNOWN[expr] !== undefined) return KNOWN[expr]
  for (const [name, functions] of WEB_FORMS_VARIANTS) {
    const again = rerun(expr, functions)
    if (
      'value' in again &&
      (again.value === odk.value || byShape(expr, again.value, odk.value) !== null)
    )
      return name
  }
  return 'unexplained'
}
