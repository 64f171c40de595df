import { AppFailure, appError, type AppError } from '../errors'

/** One problem found in a spreadsheet, located so the author can go straight to the cell. */
export type Diagnostic = {
  severity: 'error' | 'warning'
  sheet?: string
  row?: number
  column?: string
  message: string
}

/** Collects every problem instead of stopping at the first, so authors fix them all in one pass. */
export class Diagnostics {
  readonly items: Diagnostic[] = []

  error(message: string, at: Omit<Diagnostic, 'severity' | 'message'> = {}): void {
    this.items.push({ severity: 'error', message, ...at })
  }

  warn(message: string, at: Omit<Diagnostic, 'severity' | 'message'> = {}): void {
    this.items.push({ severity: 'warning', message, ...at })
  }

  get errors(): Diagnostic[] {
    return this.items.filter((d) => d.severity === 'error')
  }

  get warnings(): Diagnostic[] {
    return this.items.filter((d) => d.severity === 'warning')
  }

  hasErrors(): boolean {
    return this.items.some((d) => d.severity === 'error')
  }
}

/** Thrown internally when a problem makes it pointless to go on (e.g. no survey sheet). */
export class FormStop extends Error {
  constructor() {
    super('form compilation stopped')
    this.name = 'FormStop'
  }
}

/** "survey row 14, column relevant: …": where first, then what. */
export function formatDiagnostic(d: Diagnostic): string {
  const where: string[] = []
  if (d.sheet) where.push(d.row === undefined ? `${d.sheet} sheet` : `${d.sheet} row ${d.row}`)
  if (d.column) where.push(`column ${d.column}`)
  const prefix = d.severity === 'warning' ? 'warning: ' : ''
  return where.length ? `${prefix}${where.join(', ')}: ${d.message}` : `${prefix}${d.message}`
}

/** The AppError a boundary returns when a form does not compile; details carry every problem. */
export function formInvalidError(diagnostics: Diagnostic[]): AppError {
  const errors = diagnostics.filter((d) => d.severity === 'error')
  const count = errors.length === 1 ? 'a problem' : `${errors.length} problems`
  return appError(
    'validation',
    `The form has ${count} to fix before it can be used: ${errors.map(formatDiagnostic).join('; ')}`,
    { diagnostics },
  )
}

export function formInvalidFailure(diagnostics: Diagnostic[]): AppFailure {
  const e = formInvalidError(diagnostics)
  return new AppFailure(e.code, e.message, e.details)
}
