import { processIo, type CliIo, type Subcommand } from './io'

/** Subcommands load lazily so that `outpost compile` does not pay for the registry's modules. */
const subcommands: Record<string, () => Promise<Subcommand>> = {
  compile: async () => (await import('./compile')).compileCommand,
  export: async () => (await import('./export')).exportCommand,
  package: async () => (await import('./package')).packageCommand,
}

function usage(io: CliIo, loaded: Record<string, Subcommand>): void {
  io.out('Usage: outpost <command> [options]\n\nCommands:')
  for (const [name, command] of Object.entries(loaded)) io.out(`  ${name.padEnd(10)} ${command.summary}`)
}

export async function main(argv: string[], io: CliIo = processIo): Promise<number> {
  const [name, ...rest] = argv
  const load = name ? subcommands[name] : undefined
  if (!load) {
    const loaded: Record<string, Subcommand> = {}
    for (const [key, loader] of Object.entries(subcommands)) loaded[key] = await loader()
    if (name && name !== '--help' && name !== '-h') io.err(`outpost: unknown command "${name}"`)
    usage(io, loaded)
    return name && name !== '--help' && name !== '-h' ? 2 : 0
  }
  const command = await load()
  return command.run(rest, io)
}
