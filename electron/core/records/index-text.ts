/**
 * A new record's search text and answer tokens, built from the values in hand instead of by SQL
 * reading its JSON back (json_tree and json_each over every record were a third of an insert).
 * The output is byte for byte what the SQL expressions of index-batch.ts (and the update
 * triggers of 0003 and 0009, which keep edits) give for the same JSON, so a record reads the
 * same however it was indexed (test/core/records/index-text.test.ts compares them). Where this
 * cannot promise that, it returns undefined and the caller lets SQL do that record: a fraction
 * (SQLite prints those its own way), a string with a lone surrogate.
 */

/** Values as stored: JSON.stringify of this object is the record's values_json. */
type Json = unknown

/*
 * The answer tokens of one record are written as bytes into one buffer ('q', the question's UTF-8
 * in hex, 'x', the answer's, a space between tokens) and read back as one string: a record has
 * some thirty tokens, and sixty small hex strings cost several times more.
 */
// Upper case, as SQL's hex(): the tokenizer folds case anyway, and the text is then SQL's byte for byte.
const hexDigits = Uint8Array.from(Buffer.from('0123456789ABCDEF'))
let tokenBytes = new Uint8Array(16_384)
let tokenEnd = 0

/** Writes the hex of text's UTF-8 at `at`; returns the end. The buffer has room (see addToken). */
function writeHex(bytes: Uint8Array, at: number, text: string): number {
  let end = at
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i)
    if (code >= 0x80) {
      for (const byte of Buffer.from(text.slice(i), 'utf8')) {
        bytes[end++] = hexDigits[byte >> 4] as number
        bytes[end++] = hexDigits[byte & 15] as number
      }
      return end
    }
    bytes[end++] = hexDigits[code >> 4] as number
    bytes[end++] = hexDigits[code & 15] as number
  }
  return end
}

function addToken(question: string, answer: string): void {
  // A UTF-16 unit is at most 3 UTF-8 bytes, 6 hex digits.
  const needed = tokenEnd + 3 + 6 * (question.length + answer.length)
  if (needed > tokenBytes.length) {
    const bigger = new Uint8Array(2 * needed)
    bigger.set(tokenBytes.subarray(0, tokenEnd))
    tokenBytes = bigger
  }
  let at = tokenEnd
  if (at > 0) tokenBytes[at++] = 0x20
  tokenBytes[at++] = 0x71 // q
  at = writeHex(tokenBytes, at, question)
  tokenBytes[at++] = 0x78 // x
  tokenEnd = writeHex(tokenBytes, at, answer)
}

function takeTokens(): string | null {
  const text =
    tokenEnd === 0 ? null : Buffer.from(tokenBytes.buffer, 0, tokenEnd).toString('latin1')
  tokenEnd = 0
  return text
}

/**
 * How SQLite prints a JSON number (as group_concat and hex see it), or undefined where it might
 * differ from JavaScript: integers are digits in both up to 2^63 (beyond, SQLite reads a real);
 * fractions go through SQLite's own decimal conversion, which gives 17 digits where JavaScript
 * gives the shortest (0.0009859999999999999 for 0.000986), so SQL prints those itself.
 */
export function sqliteNumber(value: number): string | undefined {
  return Number.isInteger(value) && Math.abs(value) < 2 ** 63 ? String(value) : undefined
}

// Most text has no surrogates at all; the exact test (a lone one) runs only on text that has some.
const anySurrogate = /[\ud800-\udfff]/
const loneSurrogate = /\p{Surrogate}/u
const wellFormed = (text: string): boolean => !anySurrogate.test(text) || !loneSurrogate.test(text)

/** An array or an object JSON.stringify writes as its own keys (not a Date, which has toJSON). */
function plain(value: object): boolean {
  if (Array.isArray(value)) return true
  const prototype: unknown = Object.getPrototypeOf(value)
  return prototype === Object.prototype || prototype === null
}

/** A scalar as SQLite prints it; null for what the SQL leaves out; undefined: let SQL do it. */
function scalar(value: Json, booleans: boolean): string | null | undefined {
  if (typeof value === 'string') return wellFormed(value) ? value : undefined
  if (typeof value === 'number') return sqliteNumber(value)
  if (typeof value === 'boolean') return booleans ? (value ? '1' : '0') : null
  if (typeof value === 'object' && value !== null) return plain(value) ? null : undefined
  return null
}

/** Every scalar below a value in document order (json_tree), text and numbers, not booleans. */
function collect(value: Json, out: string[]): boolean {
  if (value === null || typeof value !== 'object' || !plain(value)) {
    const text = scalar(value, false)
    if (text === undefined) return false
    if (text !== null) out.push(text)
    return true
  }
  if (Array.isArray(value)) {
    for (const item of value as Json[]) if (!collect(item, out)) return false
    return true
  }
  for (const key of Object.keys(value)) {
    if (!wellFormed(key) || !collect((value as Record<string, Json>)[key], out)) return false
  }
  return true
}

/** SQL's length(): characters, a pair of surrogates counting once. */
function characters(text: string): number {
  if (text.length <= 64) return text.length
  // Code points: the low half of each pair is not one.
  let n = text.length
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i)
    if (code >= 0xdc00 && code <= 0xdfff) n--
  }
  return n
}

/**
 * A record's index entries, or undefined where SQL must build them. `text` is the records_fts
 * text (0003): the instance name, then every scalar answer. `tokens` are the records_answers
 * tokens (0009): one per top-level answer and per choice of an array, up to 64 characters,
 * 'q' + hex(question) + 'x' + hex(answer); null when there are none (as SQL's group_concat of
 * no rows). One walk over the keys serves both.
 */
export function indexTextOf(
  instanceName: string | null,
  values: Record<string, Json>,
): { text: string; tokens: string | null } | undefined {
  if (instanceName !== null && !wellFormed(instanceName)) return undefined
  const words: string[] = []
  tokenEnd = 0
  for (const key of Object.keys(values)) {
    if (!wellFormed(key)) return undefined
    const value = values[key]
    if (!Array.isArray(value)) {
      if (!indexAnswer(key, value, words)) return undefined
      continue
    }
    for (const item of value as Json[]) if (!indexAnswer(key, item, words)) return undefined
  }
  return { text: `${instanceName ?? ''} ${words.join(' ')}`, tokens: takeTokens() }
}

/** One answer (or one choice of an array): its token, and its words; false: let SQL do it. */
function indexAnswer(question: string, answer: Json, words: string[]): boolean {
  const text = scalar(answer, true)
  if (text === undefined) return false
  if (text !== null && characters(text) <= 64) addToken(question, text)
  return typeof answer === 'boolean' || collect(answer, words)
}
