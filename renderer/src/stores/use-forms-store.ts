import { create } from 'zustand'
import type { FormDiagnostic, FormImportResult, FormSummary } from '../../../shared/api'
import { toAppError, type AppError } from '../../../shared/errors'
import { call } from '../api/outpost'
import { useToastStore } from './use-toast-store'

/** What the last import produced, shown in place until the next one. */
export type ImportReport =
  | { kind: 'imported'; fileName: string; result: FormImportResult }
  | { kind: 'refused'; fileName: string; error: AppError; diagnostics: FormDiagnostic[] }

type FormsState = {
  forms: FormSummary[]
  status: 'idle' | 'loading' | 'ready' | 'failed'
  importing: string | null
  report: ImportReport | null
  load: () => Promise<void>
  /** Imports a spreadsheet with the files it reads (CSV, GeoJSON, XML lists). */
  importFile: (file: File, media?: readonly File[]) => Promise<void>
  clearReport: () => void
}

function readAsBase64(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader()
    reader.onload = () => resolve(typeof reader.result === 'string' ? reader.result.replace(/^data:[^,]*,/, '') : '')
    reader.onerror = () => reject(reader.error ?? new Error('The file could not be read.'))
    reader.readAsDataURL(file)
  })
}

function diagnosticsOf(error: AppError): FormDiagnostic[] {
  const details = error.details as { diagnostics?: FormDiagnostic[] } | undefined
  return Array.isArray(details?.diagnostics) ? details.diagnostics : []
}

export const useFormsStore = create<FormsState>((set, get) => ({
  forms: [],
  status: 'idle',
  importing: null,
  report: null,
  load: async () => {
    set({ status: 'loading' })
    try {
      set({ forms: await call('forms.list', {}), status: 'ready' })
    } catch (error) {
      set({ status: 'failed' })
      useToastStore.getState().showError(error)
    }
  },
  importFile: async (file, media = []) => {
    set({ importing: file.name, report: null })
    try {
      const files = await Promise.all(media.map(async (m) => ({ fileName: m.name, contentBase64: await readAsBase64(m) })))
      const result = await call('forms.import', { fileName: file.name, contentBase64: await readAsBase64(file), media: files })
      set({ report: { kind: 'imported', fileName: file.name, result } })
      await get().load()
    } catch (thrown) {
      const error = toAppError(thrown)
      // A form with mistakes is not an app failure: its problems are listed in place, cell by cell.
      if (error.code === 'validation' || error.code === 'conflict') {
        set({ report: { kind: 'refused', fileName: file.name, error, diagnostics: diagnosticsOf(error) } })
      } else useToastStore.getState().showError(error)
    } finally {
      set({ importing: null })
    }
  },
  clearReport: () => set({ report: null }),
}))
