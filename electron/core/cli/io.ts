/** What a CLI subcommand may touch besides the file system: its output streams. */
export type CliIo = {
  out: (text: string) => void
  err: (text: string) => void
}

export const processIo: CliIo = {
  out: (text) => process.stdout.write(text.endsWith('\n') ? text : `${text}\n`),
  err: (text) => process.stderr.write(text.endsWith('\n') ? text : `${text}\n`),
}

/** A subcommand takes its own arguments and returns the process exit code. */
export type Subcommand = {
  summary: string
  run: (argv: string[], io: CliIo) => Promise<number>
}
