import { XPathSyntaxError } from './errors'

export type TokenType =
  | 'number'
  | 'string'
  | 'name' // NCName or QName, also prefix:*
  | 'star' // * as a name test
  | 'operator' // and or mod div * / // | + - = != < <= > >=
  | 'punct' // ( ) [ ] , @ :: . ..
  | 'end'

export type Token = { readonly type: TokenType; readonly text: string; readonly pos: number }

const NAME_START =
  /[A-Za-z_\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u02FF\u0370-\u037D\u037F-\u1FFF\u200C-\u200D\u2070-\u218F\u2C00-\u2FEF\u3001-\uD7FF\uF900-\uFDCF\uFDF0-\uFFFD]/
const NAME_CHAR_EXTRA = /[-.0-9\u00B7\u203F\u2040]/
const OPERATOR_NAMES = new Set(['and', 'or', 'mod', 'div'])
const TWO_CHAR = new Set(['//', '!=', '<=', '>=', '::', '..'])
const ONE_CHAR_OPERATORS = new Set(['/', '|', '+', '-', '=', '<', '>'])
const ONE_CHAR_PUNCT = new Set(['(', ')', '[', ']', ',', '@', '.'])

/**
 * XPath 1.0 section 3.7: after a token that can end an operand, `*` multiplies and
 * and/or/mod/div are operators; elsewhere they are name tests.
 */
const endsOperand = (previous: Token | undefined): boolean => {
  if (previous === undefined) return false
  if (previous.type === 'operator') return false
  if (previous.type === 'punct') return [')', ']', '.', '..'].includes(previous.text)
  return true
}

const isNameStart = (char: string): boolean => NAME_START.test(char)
const isNameChar = (char: string): boolean => {
  const code = char.charCodeAt(0)
  // Combining marks (U+0300-U+036F) may follow the first character of a name.
  return isNameStart(char) || NAME_CHAR_EXTRA.test(char) || (code >= 0x300 && code <= 0x36f)
}

const readName = (source: string, start: number): number => {
  let end = start + 1
  while (end < source.length && isNameChar(source.charAt(end))) end += 1
  return end
}

/** Reads NCName, prefix:local or prefix:* starting at `start`; returns the end offset. */
const readQName = (source: string, start: number): number => {
  const end = readName(source, start)
  if (source.charAt(end) !== ':' || source.charAt(end + 1) === ':') return end
  const next = source.charAt(end + 1)
  if (next === '*') return end + 2
  if (isNameStart(next)) return readName(source, end + 1)
  return end
}

const readNumber = (source: string, start: number): number => {
  let end = start
  while (/[0-9]/.test(source.charAt(end))) end += 1
  if (source.charAt(end) === '.') {
    end += 1
    while (/[0-9]/.test(source.charAt(end))) end += 1
  }
  return end
}

const readString = (source: string, start: number): number => {
  const quote = source.charAt(start)
  const close = source.indexOf(quote, start + 1)
  if (close < 0) {
    throw new XPathSyntaxError(source, start, `The text starting with ${quote} is never closed`)
  }
  return close + 1
}

const nextToken = (source: string, pos: number, previous: Token | undefined): Token => {
  const char = source.charAt(pos)
  const two = source.slice(pos, pos + 2)
  if (char === '"' || char === "'") {
    const end = readString(source, pos)
    return { type: 'string', text: source.slice(pos + 1, end - 1), pos }
  }
  if (/[0-9]/.test(char) || (char === '.' && /[0-9]/.test(source.charAt(pos + 1)))) {
    return { type: 'number', text: source.slice(pos, readNumber(source, pos)), pos }
  }
  if (TWO_CHAR.has(two)) {
    return { type: two === '::' || two === '..' ? 'punct' : 'operator', text: two, pos }
  }
  if (char === '*') return { type: endsOperand(previous) ? 'operator' : 'star', text: '*', pos }
  if (ONE_CHAR_OPERATORS.has(char)) return { type: 'operator', text: char, pos }
  if (ONE_CHAR_PUNCT.has(char)) return { type: 'punct', text: char, pos }
  if (isNameStart(char)) {
    const end = readQName(source, pos)
    const text = source.slice(pos, end)
    const isOperator = OPERATOR_NAMES.has(text) && endsOperand(previous)
    return { type: isOperator ? 'operator' : 'name', text, pos }
  }
  throw new XPathSyntaxError(source, pos, `The character "${char}" cannot appear here`)
}

export const tokenize = (source: string): Token[] => {
  const tokens: Token[] = []
  let pos = 0
  for (;;) {
    while (pos < source.length && /[ \t\r\n]/.test(source.charAt(pos))) pos += 1
    if (pos >= source.length) break
    const token = nextToken(source, pos, tokens[tokens.length - 1])
    tokens.push(token)
    pos = token.pos + tokenLength(token, source)
  }
  tokens.push({ type: 'end', text: '', pos: source.length })
  return tokens
}

const tokenLength = (token: Token, source: string): number =>
  token.type === 'string' ? readString(source, token.pos) - token.pos : token.text.length
