/**
 * Errors a form author can act on. A syntax error names the character where reading stopped
 * (0-based `position`, shown 1-based in the message because that is how people count).
 */
export class XPathSyntaxError extends Error {
  readonly code = 'xpath_syntax'
  readonly expression: string
  readonly position: number

  constructor(expression: string, position: number, problem: string) {
    super(`${problem} (at character ${position + 1} of "${expression}")`)
    this.name = 'XPathSyntaxError'
    this.expression = expression
    this.position = position
  }
}

/** Raised while evaluating: an unknown function, a wrong argument count, a missing hook. */
export class XPathEvaluationError extends Error {
  readonly code = 'xpath_evaluation'

  constructor(message: string) {
    super(message)
    this.name = 'XPathEvaluationError'
  }
}
