import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { compileWorkbook, readMarkdown } from '../../../../shared/xlsform/index'
import { sharedDir } from '../../../helpers/paths'
import type { FormCase } from './drive'
import { generateForm } from './generate'

export const fixturesDir = join(sharedDir, 'conformance/odk-fixtures')
const casesFile = join(sharedDir, 'conformance/pyxform/cases.jsonl')

function xformFiles(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const full = join(dir, name)
      if (statSync(full).isDirectory()) return xformFiles(full)
      return name.endsWith('.xml') && readFileSync(full, 'utf8').includes('<h:html') ? [full] : []
    })
}

/** Attachments sit beside the form or one folder up (README of the fixtures). */
function attachmentsBeside(file: string): (src: string) => string | undefined {
  return (src) => {
    const name = decodeURIComponent(src.replace(/^jr:\/\/[a-z-]+\//, ''))
    const found = [dirname(file), join(dirname(file), '..')].map((d) => join(d, name)).find((p) => existsSync(p))
    return found ? readFileSync(found, 'utf8') : undefined
  }
}

export function odkFixtureCases(): FormCase[] {
  return xformFiles(fixturesDir).map((file) => ({
    source: 'odk',
    name: file.slice(fixturesDir.length + 1),
    xml: readFileSync(file, 'utf8'),
    attachment: attachmentsBeside(file),
  }))
}

type PyxformCase = { id: string; md?: string }

/** Every pyxform test form our compiler turns into an XForm (ids are unique per case). */
export function pyxformCases(): FormCase[] {
  const cases: FormCase[] = []
  const seen = new Set<string>()
  for (const line of readFileSync(casesFile, 'utf8').split('\n')) {
    if (!line.trim()) continue
    const parsed = JSON.parse(line) as PyxformCase
    if (!parsed.md || seen.has(parsed.md)) continue
    seen.add(parsed.md)
    let xml: string | undefined
    try {
      xml = compileWorkbook(readMarkdown(parsed.md), { formName: 'data' }).xml
    } catch {
      // A case our compiler crashes on is the compiler's business (its own tests cover it).
      continue
    }
    if (xml) cases.push({ source: 'pyxform', name: parsed.id, xml, attachment: () => undefined })
  }
  return cases
}

export function generatedCases(count: number, seed: number): FormCase[] {
  return Array.from({ length: count }, (_, i) => {
    const md = generateForm(seed + i)
    const xml = compileWorkbook(readMarkdown(md), { formName: 'data' }).xml
    if (!xml) throw new Error(`generated form ${seed + i} does not compile:\n${md}`)
    return { source: 'generated' as const, name: `generated-${seed + i}`, xml, attachment: () => undefined }
  })
}
