import { join } from 'node:path'
import type { OpenDialogOptions, SaveDialogOptions } from 'electron'
import type { FileChoice, FilePurpose } from '../../shared/api'

type Dialog =
  | { kind: 'save'; options: SaveDialogOptions }
  | { kind: 'open'; options: OpenDialogOptions }

const packageFilter = { name: 'Outpost package', extensions: ['outpost'] }

/** Title, file types and default name of the system dialog for each purpose the renderer may ask. */
export function dialogFor(choice: FileChoice, defaultFolder: string): Dialog {
  const purpose: FilePurpose = choice.purpose
  const at = (name: string) => join(defaultFolder, choice.suggestedName || name)
  switch (purpose) {
    case 'export-csv':
      return { kind: 'save', options: { title: 'Export records', defaultPath: at('records.csv'), filters: [{ name: 'CSV', extensions: ['csv'] }] } }
    case 'export-xlsx':
      return { kind: 'save', options: { title: 'Export records', defaultPath: at('records.xlsx'), filters: [{ name: 'Excel workbook', extensions: ['xlsx'] }] } }
    case 'package-export':
      return { kind: 'save', options: { title: 'Save the package', defaultPath: at('outpost-package.outpost'), filters: [packageFilter] } }
    case 'package-import':
      return { kind: 'open', options: { title: 'Open a package', defaultPath: defaultFolder, properties: ['openFile'], filters: [packageFilter] } }
  }
}
