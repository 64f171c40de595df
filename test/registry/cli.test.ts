import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { main } from '../../registry/cli'
import type { TestCluster } from './helpers/postgres'
import { startPostgres } from './helpers/postgres'
import { formFile } from './helpers/world'

async function run(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = []
  const err: string[] = []
  const code = await main(
    argv,
    (line) => out.push(line),
    (line) => err.push(line),
  )
  return { code, out: out.join('\n'), err: err.join('\n') }
}

describe.each(['pglite', 'postgres'] as const)('admin CLI on %s', (backend) => {
  const dir = mkdtempSync(join(tmpdir(), 'outpost-cli-'))
  let cluster: TestCluster | undefined
  beforeAll(async () => {
    delete process.env.DATABASE_URL
    process.env.OUTPOST_REGISTRY_DATA = join(dir, 'data')
    if (backend === 'postgres') {
      cluster = await startPostgres()
      process.env.DATABASE_URL = await cluster.createDatabase()
    }
  })
  afterAll(() => {
    cluster?.stop()
    rmSync(dir, { recursive: true, force: true })
  })

  it('creates an office, a user and a code, publishes a form and a register, lists and revokes devices', async () => {
    expect(await run('office', 'create', 'kenya-north', 'Kenya', 'North')).toMatchObject({
      code: 0,
      out: expect.stringContaining('office kenya-north created') as unknown,
    })
    expect((await run('office', 'list')).out).toContain('kenya-north\tKenya North')
    process.env.OUTPOST_NEW_PASSWORD = 'a long enough password'
    expect((await run('user', 'create', 'ana@hq.example', '--role', 'data_manager')).code).toBe(0)
    expect(await run('user', 'create', 'bob@hq.example', '--role', 'boss')).toMatchObject({
      code: 1,
      err: expect.stringContaining('role') as unknown,
    })
    const code = await run('code', 'create', 'kenya-north', '--hours', '2')
    expect(code.out).toMatch(/[0-9A-Z]{5}-[0-9A-Z]{5}-[0-9A-Z]{5}/)
    writeFileSync(join(dir, 'household.md'), formFile())
    expect(
      (await run('form', 'publish', join(dir, 'household.md'), '--offices', 'kenya-north')).out,
    ).toContain('published to 1 new office')
    writeFileSync(join(dir, 'villages.csv'), 'name,label\nv1,One\n')
    expect(
      (
        await run(
          'register',
          'publish',
          'villages',
          join(dir, 'villages.csv'),
          '--offices',
          'kenya-north',
        )
      ).out,
    ).toContain('1 added')
    expect(await run('device', 'list')).toMatchObject({ code: 0, out: '' })
    expect(await run('device', 'revoke', '01a206f5-cdc8-7693-ba3e-f8d6b74d864e')).toMatchObject({
      code: 1,
      err: expect.stringContaining('no device') as unknown,
    })
  })

  it('explains unknown commands and missing arguments', async () => {
    expect((await run('frobnicate')).code).toBe(2)
    expect(await run('office', 'create')).toMatchObject({
      code: 1,
      err: expect.stringContaining('Missing office code') as unknown,
    })
    expect((await run('help')).out).toContain('outpost registry <command>')
  })
})
