import type { Diagnostics } from './diagnostics'
import type { QuestionNode } from './form-model'

export type Params = Record<string, string>

export function paramError(diags: Diagnostics, q: QuestionNode, message: string): void {
  diags.error(`On the 'survey' sheet, the 'parameters' value is invalid. ${message}`, {
    sheet: 'survey',
    row: q.row.row,
    column: q.row.headers.parameters ?? 'parameters',
  })
}

/** Parses `key1=value1 key2=value2` (commas and semicolons also separate); keys are case-insensitive. */
export function readParameters(
  diags: Diagnostics,
  q: QuestionNode,
  allowed: string[],
): Params | undefined {
  const text = q.row.values.parameters
  const params: Params = {}
  if (text === undefined) return params
  const tokens = text
    .replace(/\s*=\s*/g, '=')
    .split(/[\s,;]+/)
    .filter((t) => t !== '')
  for (const token of tokens) {
    const m = /^([^=]+)=([^=]+)$/.exec(token)
    if (!m) {
      paramError(diags, q, "Parameters must be in the form of 'key1=value1 key2=value2.")
      return undefined
    }
    params[(m[1] ?? '').toLowerCase()] = m[2] ?? ''
  }
  const invalid = Object.keys(params).filter((k) => !allowed.includes(k))
  if (invalid.length > 0) {
    paramError(
      diags,
      q,
      `The accepted parameter keys for this question type are '${[...allowed].sort().join(', ')}'. The following are invalid parameter key(s): '${invalid.join(', ')}'.`,
    )
    return undefined
  }
  return params
}
