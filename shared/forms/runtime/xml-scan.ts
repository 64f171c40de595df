import type { XmlElement } from './xml'

/** Raised with the line and column of the first thing that is not well-formed XML. */
export class XmlSyntaxError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'XmlSyntaxError'
  }
}

/**
 * A stretch of a document left unparsed: the content of an element between its tags, by offsets
 * into the (line-break-normalised) text. Errors found when it is read later still name the line
 * and column in the whole document.
 */
export type RawXml = { readonly text: string; readonly start: number; readonly end: number }

/** What a reader does with the document, in document order. */
export interface XmlHandler {
  /**
   * An element opens (and at once closes when self-closing). Returning true asks for its content
   * unparsed through `raw` instead of events, when that can be done safely.
   */
  open(name: string, attrs: Record<string, string>, selfClosing: boolean): boolean | undefined
  /** Text, CDATA included, with entities decoded. Whitespace between elements is text too. */
  text(content: string): void
  close(): void
  raw?(content: RawXml): void
  /** True when whitespace-only text is of no use to the reader (never sliced nor delivered). */
  readonly skipsBlankText?: boolean
}

const named: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" }

function where(text: string, at: number): string {
  const before = text.slice(0, at)
  const line = before.split('\n').length
  return `line ${line}, column ${at - before.lastIndexOf('\n')}`
}

function fail(text: string, at: number, message: string): never {
  throw new XmlSyntaxError(`${message} (${where(text, at)}).`)
}

function decode(text: string, raw: string, at: number): string {
  if (!raw.includes('&')) return raw
  return raw.replace(/&([^;&\s]*);?/g, (whole, name: string) => {
    if (!whole.endsWith(';')) fail(text, at, `An "&" is not followed by an entity name and ";"`)
    if (name.startsWith('#x')) return String.fromCodePoint(parseInt(name.slice(2), 16))
    if (name.startsWith('#')) return String.fromCodePoint(parseInt(name.slice(1), 10))
    const value = named[name]
    if (value === undefined) fail(text, at, `The entity &${name}; is not defined`)
    return value
  })
}

const GT = 62 // >
const SLASH = 47 // /
const EQ = 61 // =
const BANG = 33 // !
const QUESTION = 63 // ?

const isSpace = (code: number): boolean => code === 32 || code === 10 || code === 9 || code === 13
/** Where an element or attribute name stops: whitespace, '/', '>' or '='. */
const endsName = (code: number): boolean => isSpace(code) || code === SLASH || code === GT || code === EQ

function isBlank(text: string, from: number, to: number): boolean {
  for (let at = from; at < to; at++) if (!isSpace(text.charCodeAt(at))) return false
  return true
}

/**
 * Element names met so far, so that 20,000 `<item>` tags share one string instead of each
 * slicing its own. One remembered name per (length, first, last character): a hit is one
 * comparison in place, a miss slices and takes the slot.
 */
class NameTable {
  private readonly names = new Map<number, string>()

  name(text: string, start: number, end: number): string {
    const slot = ((end - start) * 65_599 + text.charCodeAt(start)) * 65_599 + text.charCodeAt(end - 1)
    const known = this.names.get(slot)
    if (known !== undefined && known.length === end - start && text.startsWith(known, start)) return known
    const name = text.slice(start, end)
    this.names.set(slot, name)
    return name
  }
}

/** Shared by every tag without attributes; frozen, so a reader that keeps attrs must copy it. */
export const NO_ATTRIBUTES: Record<string, string> = Object.freeze({})

function skipTo(text: string, from: number, marker: string, what: string): number {
  const end = text.indexOf(marker, from)
  if (end < 0) fail(text, from, `${what} is never closed`)
  return end + marker.length
}

/**
 * Where the content of `<name …>` opened just before `from` ends (the index of its `</name>`),
 * or -1 when that cannot be found by a plain search: the content holds another `<name`, a
 * comment or a CDATA section (which could hide a closing tag), or the closing tag is missing.
 */
function contentEnd(text: string, from: number, name: string): number {
  const close = text.indexOf(`</${name}`, from)
  if (close < 0) return -1
  const after = text.charCodeAt(close + name.length + 2)
  if (after !== GT && !isSpace(after)) return -1
  const nested = text.indexOf(`<${name}`, from)
  if (nested >= 0 && nested < close) return -1
  // Comments, CDATA and processing instructions: read with the rest, where they are understood.
  const comment = text.indexOf('<!', from)
  if (comment >= 0 && comment < close) return -1
  const instruction = text.indexOf('<?', from)
  if (instruction >= 0 && instruction < close) return -1
  return close
}

/**
 * An indexOf-based XML reader for XForms (elements, attributes, text, CDATA, comments,
 * processing instructions, the predefined and numeric entities) over `text` from `start` to
 * `end`, several times faster than a general SAX parser on 3 MB forms with 20,000 choices. DTDs
 * are skipped, not interpreted. It checks that tags nest and that there is one root element
 * (none is allowed: the caller decides whether that is an error).
 */
export function readXml(text: string, start: number, end: number, handler: XmlHandler): void {
  const names: string[] = []
  const seen = new NameTable()
  let roots = 0
  let i = start
  const addText = (from: number, to: number) => {
    if (handler.skipsBlankText === true && isBlank(text, from, to)) return
    const content = text.slice(from, to)
    if (names.length === 0) {
      if (content.trim()) fail(text, from, 'Text appears outside the root element')
      return
    }
    handler.text(decode(text, content, from))
  }
  while (i < end) {
    let lt = text.indexOf('<', i)
    if (lt >= end) lt = -1
    if (lt < 0) {
      addText(i, end)
      break
    }
    if (lt > i) addText(i, lt)
    i = lt
    const next = text.charCodeAt(i + 1)
    if (next === BANG) {
      if (text.startsWith('<!--', i)) i = skipTo(text, i + 4, '-->', 'A comment')
      else if (text.startsWith('<![CDATA[', i)) {
        const after = skipTo(text, i + 9, ']]>', 'A CDATA section')
        if (names.length === 0) fail(text, i, 'Text appears outside the root element')
        handler.text(text.slice(i + 9, after - 3))
        i = after
      } else i = skipTo(text, i + 2, '>', 'A declaration')
    } else if (next === QUESTION) i = skipTo(text, i + 2, '?>', 'A processing instruction')
    else if (next === SLASH) {
      const close = text.indexOf('>', i)
      const open = names.pop()
      // The usual </name> is checked in place; anything else is sliced to say what is wrong.
      const matches = open !== undefined && close >= 0 && text.startsWith(open, i + 2) && isBlank(text, i + 2 + open.length, close)
      if (!matches) {
        const name = text.slice(i + 2, close < 0 ? end : close).trim()
        fail(text, i, open !== undefined ? `</${name}> closes <${open}>` : `</${name}> has no opening tag`)
      }
      handler.close()
      i = close + 1
    } else {
      // An opening tag: its name, then attributes up to '>' or '/>'.
      let at = i + 1
      while (at < end && !endsName(text.charCodeAt(at))) at++
      if (at === i + 1) fail(text, i + 1, 'A "<" is not followed by an element name')
      const name = seen.name(text, i + 1, at)
      let attrs: Record<string, string> = NO_ATTRIBUTES
      for (;;) {
        while (at < end && isSpace(text.charCodeAt(at))) at++
        const code = text.charCodeAt(at)
        if (code === GT || code === SLASH || at >= end) break
        const nameStart = at
        while (at < end && !endsName(text.charCodeAt(at))) at++
        const key = text.slice(nameStart, at)
        while (at < end && isSpace(text.charCodeAt(at))) at++
        if (!key || text.charCodeAt(at) !== EQ) fail(text, at, `The tag <${name}> is not closed properly`)
        at++
        while (at < end && isSpace(text.charCodeAt(at))) at++
        const quote = text[at]
        if (quote !== '"' && quote !== "'") fail(text, at, `The tag <${name}> is not closed properly`)
        const valueEnd = text.indexOf(quote, at + 1)
        if (valueEnd < 0 || valueEnd >= end) fail(text, at, `The tag <${name}> is not closed properly`)
        if (attrs === NO_ATTRIBUTES) attrs = {}
        if (key in attrs) fail(text, nameStart, `The attribute ${key} appears twice on <${name}>`)
        // XML 1.0 3.3.3: literal tabs and line breaks in attribute values read as spaces.
        const value = text.slice(at + 1, valueEnd)
        attrs[key] = decode(text, /[\t\n]/.test(value) ? value.replace(/[\t\n]/g, ' ') : value, at)
        at = valueEnd + 1
      }
      const selfClosing = text.charCodeAt(at) === SLASH
      if (selfClosing ? text.charCodeAt(at + 1) !== GT : text.charCodeAt(at) !== GT) fail(text, at, `The tag <${name}> is not closed properly`)
      if (names.length === 0 && roots++ > 0) fail(text, i, 'The document has more than one root element')
      i = at + (selfClosing ? 2 : 1)
      const wantsRaw = handler.open(name, attrs, selfClosing) === true
      if (selfClosing) {
        handler.close()
        continue
      }
      const contentStop = wantsRaw && handler.raw ? contentEnd(text, i, name) : -1
      if (contentStop >= 0 && contentStop <= end) {
        handler.raw?.({ text, start: i, end: contentStop })
        handler.close()
        i = text.indexOf('>', contentStop) + 1
      } else names.push(name)
    }
  }
  const open = names[names.length - 1]
  if (open !== undefined) fail(text, end, `The element <${open}> is never closed`)
}

/** XML 1.0 2.11: every line break is read as \n. */
export const normaliseLineBreaks = (source: string): string => (source.includes('\r') ? source.replace(/\r\n?/g, '\n') : source)

/**
 * Parses a document into a tree of XmlElement. `rawContent(element, parent)` may ask for an
 * element's content to be kept unparsed (`element.raw`, children empty), e.g. a form's choice
 * lists, which the runtime reads straight into its own nodes.
 */
export function scanXml(source: string, rawContent?: (element: XmlElement, parent: XmlElement | undefined) => boolean): XmlElement {
  const root = scanRange(normaliseLineBreaks(source), 0, undefined, rawContent)
  if (!root) throw new XmlSyntaxError('The document has no root element.')
  return root
}

const ignore: XmlHandler = { open: () => undefined, text: () => undefined, close: () => undefined }

/** Throws XmlSyntaxError when a raw stretch is not well-formed (at most one root element). */
export function checkXml(raw: RawXml): void {
  readXml(raw.text, raw.start, raw.end, ignore)
}

/** Parses the one root element of a raw stretch (undefined when it holds no element). */
export function scanRaw(raw: RawXml): XmlElement | undefined {
  return scanRange(raw.text, raw.start, raw.end)
}

function scanRange(
  text: string,
  start: number,
  end: number | undefined,
  rawContent?: (element: XmlElement, parent: XmlElement | undefined) => boolean,
): XmlElement | undefined {
  const stack: XmlElement[] = []
  let root: XmlElement | undefined
  readXml(text, start, end ?? text.length, {
    open(name, attrs) {
      const element: XmlElement = { name, attrs: attrs === NO_ATTRIBUTES ? {} : attrs, children: [] }
      const parent = stack[stack.length - 1]
      if (parent) parent.children.push(element)
      else root = element
      stack.push(element)
      return rawContent?.(element, parent) === true
    },
    text(content) {
      const parent = stack[stack.length - 1] as XmlElement
      const last = parent.children[parent.children.length - 1]
      if (typeof last === 'string') parent.children[parent.children.length - 1] = last + content
      else parent.children.push(content)
    },
    close() {
      stack.pop()
    },
    raw(content) {
      const element = stack[stack.length - 1] as XmlElement
      element.raw = content
    },
  })
  return root
}
