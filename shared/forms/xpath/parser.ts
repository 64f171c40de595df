import type { Axis, BinaryOp, ExprAst, NodeTestAst, StepAst } from './ast'
import { XPathSyntaxError } from './errors'
import { tokenize, type Token } from './lexer'

const AXES = new Set<string>([
  'child',
  'descendant',
  'descendant-or-self',
  'parent',
  'ancestor',
  'ancestor-or-self',
  'self',
  'attribute',
  'following-sibling',
  'preceding-sibling',
  'following',
  'preceding',
  'namespace',
])
const NODE_TYPES = new Set(['node', 'text', 'comment', 'processing-instruction'])
const DESCENDANT_OR_SELF: StepAst = {
  axis: 'descendant-or-self',
  test: { kind: 'node' },
  predicates: [],
}

const describe = (token: Token): string =>
  token.type === 'end'
    ? 'the end of the expression'
    : token.type === 'string'
      ? `the text "${token.text}"`
      : `"${token.text}"`

class Parser {
  private index = 0

  constructor(
    private readonly source: string,
    private readonly tokens: readonly Token[],
  ) {}

  private get current(): Token {
    return this.tokens[this.index] ?? this.tokens[this.tokens.length - 1]!
  }

  private peek(offset: number): Token | undefined {
    return this.tokens[this.index + offset]
  }

  private fail(token: Token, problem: string): never {
    throw new XPathSyntaxError(this.source, token.pos, problem)
  }

  private is(text: string, type?: Token['type']): boolean {
    const token = this.current
    return (
      token.text === text && token.type !== 'string' && (type === undefined || token.type === type)
    )
  }

  private atEnd(): boolean {
    return this.current.type === 'end'
  }

  private advance(): Token {
    const token = this.current
    this.index += 1
    return token
  }

  private expect(text: string, context: string): Token {
    if (!this.is(text))
      this.fail(this.current, `Expected "${text}" ${context}, found ${describe(this.current)}`)
    return this.advance()
  }

  parseAll(): ExprAst {
    if (this.current.type === 'end') this.fail(this.current, 'The expression is empty')
    const expr = this.parseOr()
    if (!this.atEnd()) {
      this.fail(
        this.current,
        `Unexpected ${describe(this.current)}: is an operator or a comma missing?`,
      )
    }
    return expr
  }

  private binaryLevel(ops: readonly BinaryOp[], next: () => ExprAst): ExprAst {
    let left = next()
    while (
      this.current.type === 'operator' &&
      (ops as readonly string[]).includes(this.current.text)
    ) {
      const op = this.advance().text as BinaryOp
      if (this.atEnd()) this.fail(this.current, `"${op}" needs something on its right`)
      left = { type: 'binary', op, left, right: next() }
    }
    return left
  }

  private parseOr = (): ExprAst => this.binaryLevel(['or'], this.parseAnd)
  private parseAnd = (): ExprAst => this.binaryLevel(['and'], this.parseEquality)
  private parseEquality = (): ExprAst => this.binaryLevel(['=', '!='], this.parseRelational)
  private parseRelational = (): ExprAst =>
    this.binaryLevel(['<', '<=', '>', '>='], this.parseAdditive)
  private parseAdditive = (): ExprAst => this.binaryLevel(['+', '-'], this.parseMultiplicative)
  private parseMultiplicative = (): ExprAst =>
    this.binaryLevel(['*', 'div', 'mod'], this.parseUnary)

  private parseUnary = (): ExprAst => {
    if (this.is('-', 'operator')) {
      this.advance()
      return { type: 'negate', operand: this.parseUnary() }
    }
    return this.binaryLevel(['|'], this.parsePath)
  }

  private parsePath = (): ExprAst => {
    const token = this.current
    if (token.type === 'operator' && (token.text === '/' || token.text === '//')) {
      return this.parseAbsolutePath()
    }
    if (this.startsPrimary()) {
      const primary = this.parseFilter()
      if (!this.is('/', 'operator') && !this.is('//', 'operator')) return primary
      return { type: 'path', start: primary, steps: this.parseRelativeSteps(true) }
    }
    if (this.startsStep())
      return { type: 'path', start: 'context', steps: this.parseRelativeSteps(false) }
    return this.fail(token, `Expected a value, a path or a function call, found ${describe(token)}`)
  }

  private parseAbsolutePath(): ExprAst {
    const slash = this.advance()
    if (slash.text === '/' && !this.startsStep()) return { type: 'path', start: 'root', steps: [] }
    const steps = slash.text === '//' ? [DESCENDANT_OR_SELF] : []
    if (!this.startsStep()) this.fail(this.current, `Expected a step after "${slash.text}"`)
    return { type: 'path', start: 'root', steps: [...steps, ...this.parseRelativeSteps(false)] }
  }

  /** Steps of a relative path; with `leadingSlash`, the first separator is still to be read. */
  private parseRelativeSteps(leadingSlash: boolean): StepAst[] {
    const steps: StepAst[] = []
    if (!leadingSlash) steps.push(this.parseStep())
    while (this.is('/', 'operator') || this.is('//', 'operator')) {
      if (this.advance().text === '//') steps.push(DESCENDANT_OR_SELF)
      if (!this.startsStep())
        this.fail(this.current, `Expected a step after "/", found ${describe(this.current)}`)
      steps.push(this.parseStep())
    }
    return steps
  }

  private startsPrimary(): boolean {
    const token = this.current
    if (token.type === 'number' || token.type === 'string') return true
    if (token.type === 'punct' && token.text === '(') return true
    if (token.type !== 'name') return false
    const next = this.peek(1)
    return next?.text === '(' && next.type === 'punct' && !NODE_TYPES.has(token.text)
  }

  private startsStep(): boolean {
    const token = this.current
    if (token.type === 'name' || token.type === 'star') return true
    return token.type === 'punct' && ['.', '..', '@'].includes(token.text)
  }

  private parseStep(): StepAst {
    if (this.is('.', 'punct') || this.is('..', 'punct')) {
      const axis = this.advance().text === '.' ? 'self' : 'parent'
      return { axis, test: { kind: 'node' }, predicates: [] }
    }
    let axis: Axis = 'child'
    if (this.is('@', 'punct')) {
      this.advance()
      axis = 'attribute'
    } else if (this.current.type === 'name' && this.peek(1)?.text === '::') {
      const name = this.advance()
      if (!AXES.has(name.text)) this.fail(name, `"${name.text}" is not an XPath axis`)
      axis = name.text as Axis
      this.advance()
    }
    const test = this.parseNodeTest()
    return { axis, test, predicates: this.parsePredicates() }
  }

  private parseNodeTest(): NodeTestAst {
    const token = this.current
    if (token.type === 'star') {
      this.advance()
      return { kind: 'name', prefix: '', localName: '*' }
    }
    if (token.type !== 'name') return this.fail(token, `Expected a name, found ${describe(token)}`)
    this.advance()
    if (NODE_TYPES.has(token.text) && this.is('(', 'punct')) {
      this.advance()
      if (token.text === 'processing-instruction' && this.current.type === 'string') this.advance()
      this.expect(')', `to close ${token.text}(`)
      return { kind: token.text as 'node' | 'text' | 'comment' | 'processing-instruction' }
    }
    const colon = token.text.indexOf(':')
    if (colon < 0) return { kind: 'name', prefix: '', localName: token.text }
    return {
      kind: 'name',
      prefix: token.text.slice(0, colon),
      localName: token.text.slice(colon + 1),
    }
  }

  private parsePredicates(): ExprAst[] {
    const predicates: ExprAst[] = []
    while (this.is('[', 'punct')) {
      const open = this.advance()
      if (this.is(']', 'punct')) this.fail(this.current, 'A filter [ ] cannot be empty')
      predicates.push(this.parseOr())
      if (!this.is(']', 'punct')) {
        this.fail(
          this.current,
          `Expected "]" to close the filter opened at character ${open.pos + 1}, found ${describe(this.current)}`,
        )
      }
      this.advance()
    }
    return predicates
  }

  private parseFilter(): ExprAst {
    const primary = this.parsePrimary()
    const predicates = this.parsePredicates()
    return predicates.length === 0 ? primary : { type: 'filter', primary, predicates }
  }

  private parsePrimary(): ExprAst {
    const token = this.advance()
    if (token.type === 'number') return { type: 'number', value: Number(token.text) }
    if (token.type === 'string') return { type: 'string', value: token.text }
    if (token.text === '(') {
      if (this.is(')', 'punct')) this.fail(this.current, 'Parentheses ( ) cannot be empty')
      const inner = this.parseOr()
      this.expect(')', `to close the "(" at character ${token.pos + 1}`)
      return inner
    }
    return this.parseCall(token)
  }

  private parseCall(name: Token): ExprAst {
    this.advance()
    const args: ExprAst[] = []
    if (!this.is(')', 'punct')) {
      args.push(this.parseOr())
      while (this.is(',', 'punct')) {
        this.advance()
        args.push(this.parseOr())
      }
    }
    if (!this.is(')', 'punct')) {
      this.fail(
        this.current,
        `Expected "," or ")" in the call to ${name.text}(), found ${describe(this.current)}`,
      )
    }
    this.advance()
    return { type: 'call', name: name.text, args, pos: name.pos }
  }
}

/** Parses an XPath 1.0 expression; throws XPathSyntaxError with the position of the problem. */
export const parseXPath = (expression: string): ExprAst =>
  new Parser(expression, tokenize(expression)).parseAll()
