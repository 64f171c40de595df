// Starts one side's server (Outpost's registry, PouchDB's server) as a process of its own, for
// the sync benchmark: a script that prints `{"port":…}` once it listens and exits when its stdin
// ends. Samples the process's resident memory so the benchmark can report it beside the client's.
import { spawn } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { repoRoot } from '../../helpers/paths'

export type ServerProcess = {
  port: number
  pid: number
  /** Resident memory of the server process now, in MB (0 once it ended). */
  rssMb: () => number
  stop: () => Promise<void>
}

export function rssMbOf(pid: number): number {
  try {
    const line = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))
    return Math.round(Number(line?.[1] ?? 0) / 1024)
  } catch {
    return 0 // the process ended
  }
}

export function startServerProcess(script: string, arg: string): Promise<ServerProcess> {
  // SYNC_BENCH_SERVER_PROFILE=dir: a V8 CPU profile of each server process, written there at exit.
  const profile = process.env.SYNC_BENCH_SERVER_PROFILE
  const flags = profile ? ['--cpu-prof', '--cpu-prof-dir', profile] : []
  const child = spawn(process.execPath, [...flags, '--import', 'tsx', script, arg], {
    cwd: repoRoot,
    stdio: ['pipe', 'pipe', 'inherit'],
  })
  const ended = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  return new Promise((resolve, reject) => {
    let out = ''
    child.once('exit', (code) => reject(new Error(`${script} exited (${code}) before listening`)))
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString()
      const line = out.split('\n').find((l) => l.startsWith('{"port"'))
      if (!line) return
      const pid = child.pid ?? 0
      resolve({
        port: (JSON.parse(line) as { port: number }).port,
        pid,
        rssMb: () => rssMbOf(pid),
        stop: async () => {
          child.stdin.end()
          await ended
        },
      })
    })
  })
}
