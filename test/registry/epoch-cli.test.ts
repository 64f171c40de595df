import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { main } from '../../registry/cli'

async function run(...argv: string[]): Promise<{ code: number; out: string }> {
  const out: string[] = []
  const code = await main(
    argv,
    (line) => out.push(line),
    () => undefined,
  )
  return { code, out: out.join('\n') }
}

describe('registry epoch CLI', () => {
  const dir = mkdtempSync(join(tmpdir(), 'outpost-epoch-cli-'))
  beforeAll(() => {
    delete process.env.DATABASE_URL
    process.env.OUTPOST_REGISTRY_DATA = join(dir, 'data')
  })
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true })
  })

  it('shows the epoch and rotates it to a new one', async () => {
    const uuid = /epoch ([0-9a-f-]{36})/
    const before = uuid.exec((await run('epoch', 'show')).out)?.[1]
    expect(before).toBeDefined()
    const rotated = await run('epoch', 'rotate')
    expect(rotated.code).toBe(0)
    const after = uuid.exec(rotated.out)?.[1]
    expect(after).toBeDefined()
    expect(after).not.toBe(before)
    expect((await run('epoch', 'show')).out).toContain(after)
  })
})
