import { AppFailure, appError, type AppError } from '../errors'

/** One problem found in a spreadsheet, located so the author can go straight to the cell. */
export type Diagnostic = {
  severity: 'error' | 'warning'
  sheet?: string
  row?: number
  column?: string
  message: string
}

const sheetOrder = ['settings', 'survey', 'choices', 'external_choices', 'entities', 'osm']

/** Collects every problem instead of stopping at the first, so authors fix them all in one pass. */
export class Diagnostics {
  readonly items: Diagnostic[] = []

  error(message: string, at: Omit<Diagnostic, 'severity' | 'message'> = {}): void {
    this.items.push({ severity: 'error', message, ...at })
  }

  warn(message: string, at: Omit<Diagnostic, 'severity' | 'message'> = {}): void {
    this.items.push({ severity: 'warning', message, ...at })
  }

  /** Problems in reading order: sheet by sheet, row by row; workbook-wide ones first. */
  sorted(): Diagnostic[] {
    const rank = (d: Diagnostic): number =>
      d.sheet === undefined ? -1 : Math.max(0, sheetOrder.indexOf(d.sheet))
    return [...this.items].sort((a, b) => rank(a) - rank(b) || (a.row ?? 0) - (b.row ?? 0))
  }

  get errors(): Diagnostic[] {
    return this.sorted().filter((d) => d.severity === 'error')
  }

  get warnings(): Diagnostic[] {
    return this.sorted().filter((d) => d.severity === 'warning')
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

/** pyxform's preamble repeats the location the line already starts with. */
const preamble = /^On the '[^']+' sheet, the '[^']+' value is invalid\. /

/** "survey row 14, column relevant: …": where first, then what. */
export function formatDiagnostic(d: Diagnostic): string {
  const where: string[] = []
  if (d.sheet) where.push(d.row === undefined ? `${d.sheet} sheet` : `${d.sheet} row ${d.row}`)
  if (d.column) where.push(`column ${d.column}`)
  const prefix = d.severity === 'warning' ? 'warning: ' : ''
  const message = d.column ? d.message.replace(preamble, '') : d.message
  return where.length ? `${prefix}${where.join(', ')}: ${message}` : `${prefix}${message}`
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
