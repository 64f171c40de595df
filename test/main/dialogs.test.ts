import { describe, expect, it } from 'vitest'
import { join } from 'node:path'
import { fileChoiceSchema } from '../../shared/api'
import { dialogFor } from '../../electron/main/dialogs'

describe('the system file dialog', () => {
  it('saves exports and packages under a suggested name in the default folder, with their file type', () => {
    expect(dialogFor({ purpose: 'export-xlsx', suggestedName: 'household.xlsx' }, '/home/amina/Documents')).toEqual({
      kind: 'save',
      options: { title: 'Export records', defaultPath: join('/home/amina/Documents', 'household.xlsx'), filters: [{ name: 'Excel workbook', extensions: ['xlsx'] }] },
    })
    const saved = dialogFor({ purpose: 'package-export' }, '/docs')
    expect(saved.kind).toBe('save')
    expect(saved.options.defaultPath).toBe(join('/docs', 'outpost-package.outpost'))
  })

  it('opens one existing package file for import', () => {
    const open = dialogFor({ purpose: 'package-import' }, '/docs')
    expect(open).toMatchObject({ kind: 'open', options: { properties: ['openFile'], filters: [{ extensions: ['outpost'] }] } })
  })

  it('takes a file name from the page, never a path', () => {
    expect(fileChoiceSchema.safeParse({ purpose: 'export-csv', suggestedName: '../../.ssh/authorized_keys' }).success).toBe(false)
    expect(fileChoiceSchema.safeParse({ purpose: 'export-csv', suggestedName: 'C:\\\\Windows\\\\x.csv' }).success).toBe(false)
    expect(fileChoiceSchema.safeParse({ purpose: 'shell' }).success).toBe(false)
    expect(fileChoiceSchema.safeParse({ purpose: 'export-csv', suggestedName: 'records.csv' }).success).toBe(true)
  })
})
