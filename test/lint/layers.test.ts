import { ESLint } from 'eslint'
import tseslint from 'typescript-eslint'
import { describe, expect, it } from 'vitest'
import { repoRoot } from '../helpers/paths'

// The real eslint.config.js, with type information switched off so that probe files that do not
// exist on disk can be linted; the layer rules are plain import rules and need none.
const eslint = new ESLint({
  cwd: repoRoot,
  overrideConfig: [{ files: ['**/*.ts', '**/*.tsx'], ...tseslint.configs.disableTypeChecked }],
})

async function layerErrors(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath })
  return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message)
}

describe('the layer arrows are enforced by lint', () => {
  it.each([
    ['renderer/src/probe.ts', "import { readFileSync } from 'node:fs'"],
    ['renderer/src/probe.tsx', "import { join } from 'path'"],
    ['renderer/src/probe.ts', "import { openStore } from '../../electron/core/db/open'"],
    ['shared/probe.ts', "import { createHash } from 'crypto'"],
    ['shared/probe.ts', "import { App } from '../renderer/src/App'"],
    ['electron/core/probe.ts', "import { app } from 'electron'"],
    ['electron/core/probe.ts', "import { registerIpc } from '../main/ipc'"],
    ['registry/probe.ts', "import { createCore } from '../electron/core/app-core'"],
    ['electron/preload/probe.ts', "import { readFileSync } from 'node:fs'"],
    ['electron/preload/probe.ts', "import { createCore } from '../core/app-core'"],
  ])('%s may not: %s', async (file, code) => {
    expect(await layerErrors(file, `${code}\nexport const x = 1\n`)).toHaveLength(1)
  })

  it.each([
    ['renderer/src/probe.ts', "import { calls } from '../../shared/api'"],
    ['electron/core/probe.ts', "import { readFileSync } from 'node:fs'"],
    ['electron/main/probe.ts', "import { app } from 'electron'"],
    ['registry/probe.ts', "import { AppFailure } from '../shared/errors'"],
  ])('%s may: %s', async (file, code) => {
    expect(await layerErrors(file, `${code}\nexport const x = 1\n`)).toEqual([])
  })
})
