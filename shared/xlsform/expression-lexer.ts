/**
 * A small XPath-ish tokenizer with the same rule order as pyxform's lexer, so that decisions
 * such as "is this default dynamic?" come out the same way.
 */
export type Token = { type: string; value: string; start: number }

const nameStart =
  '[A-Za-z_\\u00c0-\\u00d6\\u00d8-\\u00f6\\u00f8-\\u02ff\\u0370-\\u037d\\u037f-\\u1fff\\u200c-\\u200d\\u2070-\\u218f\\u2c00-\\u2fef\\u3001-\\ud7ff\\uf900-\\ufdcf\\ufdf0-\\ufffd]'
const nameChar = `(?:${nameStart}|[-.0-9\\u00b7\\u0300-\\u036f\\u203f-\\u2040])`
const ncname = `${nameStart}${nameChar}*(?::${nameStart}${nameChar}*)?`
const date = '-?\\d{4}-\\d{2}-\\d{2}'
const time = '\\d{2}:\\d{2}:\\d{2}(?:\\.\\s+)?(?:[+-]\\d{2}:\\d{2}|Z)?'

const rules: [string, RegExp][] = (
  [
    ['DATETIME', `${date}T${time}`],
    ['DATE', date],
    ['TIME', time],
    ['NUMBER', '-?\\d+\\.\\d*|-?\\.\\d+|-?\\d+'],
    ['OPS_MATH', '[*+\\-]| mod | div '],
    ['OPS_COMP', '=|!=|<|>|<=|>='],
    ['OPS_BOOL', ' and | or '],
    ['OPS_UNION', '\\|'],
    ['OPEN_PAREN', '\\('],
    ['CLOSE_PAREN', '\\)'],
    ['BRACKET', '\\[\\]\\{\\}'],
    ['PARENT_REF', '\\.\\.'],
    ['SELF_REF', '\\.'],
    ['PATH_SEP', '\\/'],
    ['SYSTEM_LITERAL', `"[^"]*"|'[^']*'`],
    ['COMMA', ','],
    ['WHITESPACE', '\\s+'],
    ['PYXFORM_REF', `\\$\\{${ncname}(?:#${ncname})?\\}`],
    ['FUNC_CALL', `${ncname}\\(`],
    ['XPATH_PRED_START', `${ncname}\\[`],
    ['XPATH_PRED_END', '\\]'],
    ['URI_SCHEME', `${ncname}://`],
    ['NAME', ncname],
    ['PYXFORM_REF_START', '\\$\\{'],
    ['PYXFORM_REF_END', '\\}'],
    ['OTHER', '[\\s\\S]'],
  ] as const
).map(([type, source]) => [type, new RegExp(source, 'uy')])

export function tokenize(text: string): Token[] {
  const tokens: Token[] = []
  let pos = 0
  while (pos < text.length) {
    let matched = false
    for (const [type, re] of rules) {
      re.lastIndex = pos
      const m = re.exec(text)
      if (m && m[0].length > 0) {
        tokens.push({ type, value: m[0], start: pos })
        pos += m[0].length
        matched = true
        break
      }
    }
    if (!matched) pos++
  }
  return tokens
}

const dynamicTokens = new Set([
  'OPS_MATH',
  'OPS_UNION',
  'XPATH_PRED_START',
  'XPATH_PRED_END',
  'PYXFORM_REF',
  'FUNC_CALL',
])
const hyphenTypes = new Set(['date', 'dateTime', 'geopoint', 'geotrace', 'geoshape'])

/** A default is dynamic (set by setvalue at load) when it is an expression rather than a value. */
export function defaultIsDynamic(value: string, type: string): boolean {
  for (const t of tokenize(value)) {
    if (hyphenTypes.has(type) && t.type === 'OPS_MATH' && t.value === '-') return false
    if (dynamicTokens.has(t.type)) return true
  }
  return false
}

/** The whole text is one `${name}` reference. */
export function isSingleReference(value: string): boolean {
  const tokens = tokenize(value.trim())
  return tokens.length === 1 && tokens[0]?.type === 'PYXFORM_REF'
}

/** The whole text is one XML element name. */
export function isXmlName(value: string): boolean {
  const tokens = tokenize(value)
  return tokens.length === 1 && tokens[0]?.type === 'NAME'
}
