import { readFile, writeFile } from 'node:fs/promises'
import {
  compileWorkbook,
  formatDiagnostic,
  formNameFromFile,
  readFormFile,
} from '../../../shared/xlsform/index'
import type { CliIo, Subcommand } from './io'

const usage = 'Usage: outpost compile FORM.xlsx [-o FORM.xml]'

function parseArgs(argv: string[]): { input?: string; output?: string; error?: string } {
  let input: string | undefined
  let output: string | undefined
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]
    if (arg === '-o' || arg === '--output') {
      output = argv[++i]
      if (output === undefined) return { error: `${arg} needs a file name` }
    } else if (arg?.startsWith('-')) return { error: `unknown option "${arg}"` }
    else if (input === undefined) input = arg
    else return { error: `only one form at a time ("${arg}" is extra)` }
  }
  return { input, output }
}

async function run(argv: string[], io: CliIo): Promise<number> {
  const args = parseArgs(argv)
  if (args.error || !args.input) {
    io.err(args.error ? `outpost compile: ${args.error}\n${usage}` : usage)
    return 2
  }
  let bytes: Uint8Array
  try {
    bytes = new Uint8Array(await readFile(args.input))
  } catch {
    io.err(
      `outpost compile: cannot read "${args.input}"; check the path and that the file is not open elsewhere.`,
    )
    return 1
  }
  const read = readFormFile(args.input, bytes)
  if (!read.ok) {
    io.err(`error: ${read.message}`)
    return 1
  }
  const stem = formNameFromFile(args.input)
  const result = compileWorkbook(read.workbook, { formName: stem, formId: stem })
  for (const d of result.diagnostics) io.err(formatDiagnostic(d))
  if (!result.ok || result.xml === undefined) {
    io.err(`${result.errors.length} error(s): the form was not compiled.`)
    return 1
  }
  if (args.output) {
    await writeFile(args.output, result.xml, 'utf8')
    io.err(
      `wrote ${args.output}${result.warnings.length ? ` with ${result.warnings.length} warning(s)` : ''}`,
    )
  } else io.out(result.xml)
  return 0
}

export const compileCommand: Subcommand = {
  summary: 'compile an XLSForm (.xlsx, .csv, .md) to an ODK XForm',
  run,
}
