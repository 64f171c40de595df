import { existsSync } from 'node:fs'
import { AppFailure } from '../../../shared/errors'
import { supervisorKeyFor } from '../auth/offline-unlock'
import { exportRecords } from '../records/export/run'
import type { CliIo, Subcommand } from './io'

const usage = 'Usage: outpost export --db PATH --form ID --format csv|xlsx -o OUT [--labels] [--user NAME, password in OUTPOST_PASSWORD]'

type ExportCliArgs = { db: string; form: string; format: 'csv' | 'xlsx'; output: string; labels: boolean; user?: string | undefined }

function parseArgs(argv: string[]): ExportCliArgs | string {
  const options: Record<string, string> = {}
  let labels = false
  const names: Record<string, string> = { '--db': 'db', '--form': 'form', '--format': 'format', '-o': 'output', '--output': 'output', '--user': 'user' }
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? ''
    if (arg === '--labels') labels = true
    else if (names[arg]) {
      const value = argv[++i]
      if (value === undefined) return `${arg} needs a value`
      options[names[arg] ?? arg] = value
    } else return `unknown argument "${arg}"`
  }
  const { db, form, format, output } = options
  if (!db || !form || !format || !output) return 'missing --db, --form, --format or -o'
  if (format !== 'csv' && format !== 'xlsx') return `--format must be csv or xlsx, not "${format}"`
  return { db, form, format, output, labels, user: options.user }
}

async function run(argv: string[], io: CliIo): Promise<number> {
  const args = parseArgs(argv)
  if (typeof args === 'string') {
    io.err(`outpost export: ${args}\n${usage}`)
    return 2
  }
  if (!existsSync(args.db)) {
    io.err(`outpost export: there is no database at "${args.db}".`)
    return 1
  }
  let last = 0
  try {
    const key = await supervisorKeyFor(args.db, args.user, process.env.OUTPOST_PASSWORD)
    const result = await exportRecords(args.db, { formId: args.form, format: args.format, outputPath: args.output, labels: args.labels }, (p) => {
      // A line every few seconds' worth of rows, not one per progress event.
      if (p.phase === 'write' && p.done - last >= 50_000) io.err(`  ${p.done} / ${p.total} records`)
      if (p.phase === 'write') last = p.done
    }, undefined, key)
    for (const file of result.files) io.out(file)
    io.err(`exported ${result.records} records (${result.sheets.map((s) => `${s.name}: ${s.rows} rows`).join(', ')})`)
    return 0
  } catch (error) {
    io.err(`outpost export: ${error instanceof AppFailure ? error.message : String(error)}`)
    return 1
  }
}

export const exportCommand: Subcommand = { summary: 'export a form’s records to CSV or XLSX', run }
