import { main } from './cli'

// `npm run registry` serves; `npm run registry -- <command>` runs an admin command (see cli.ts).
process.exitCode = await main(process.argv.slice(2))
