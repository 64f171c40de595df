import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { compileCommand } from '../../../electron/core/cli/compile'
import type { CliIo } from '../../../electron/core/cli/io'
import { count, repoRoot } from './helpers'

function capture(): CliIo & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = []
  const stderr: string[] = []
  return { stdout, stderr, out: (t) => stdout.push(t), err: (t) => stderr.push(t) }
}

const fixture = (name: string): string => path.join(repoRoot, 'test/fixtures/xlsform', name)

describe('outpost compile', () => {
  it('writes the XForm to -o and exits 0', async () => {
    const out = path.join(mkdtempSync(path.join(tmpdir(), 'xlsform-')), 'household.xml')
    const io = capture()
    expect(await compileCommand.run([fixture('household.md'), '-o', out], io)).toBe(0)
    const xml = readFileSync(out, 'utf8')
    expect(count(xml, "/h:html/h:head/h:title[.='Household']")).toBe(1)
    expect(
      count(xml, "//x:bind[@nodeset='/household/person/age' and @relevant=\" ../adult  = 'yes'\"]"),
    ).toBe(1)
    expect(
      count(xml, "//x:translation[@lang='French (fr)']/x:text[@id='yes_no-0']/x:value[.='Oui']"),
    ).toBe(1)
  })

  it('prints every problem with its row and exits 1', async () => {
    const io = capture()
    expect(await compileCommand.run([fixture('broken.md')], io)).toBe(1)
    const text = io.stderr.join('\n')
    expect(text).toMatch(/survey row 3, column label: .*'agee'.*Did you mean `\$\{age\}`\?/)
    expect(text).toMatch(/survey row 4, column type: There should be a choices sheet/)
    expect(io.stdout).toEqual([])
    expect(text).not.toMatch(/at .*\.ts:\d+/)
  })

  it('explains usage and unreadable files instead of throwing', async () => {
    const io = capture()
    expect(await compileCommand.run([], io)).toBe(2)
    expect(await compileCommand.run([fixture('missing.xlsx')], io)).toBe(1)
    expect(await compileCommand.run([fixture('missing.xls')], io)).toBe(1)
    expect(io.stderr.join('\n')).toMatch(/cannot read/)
  })
})
