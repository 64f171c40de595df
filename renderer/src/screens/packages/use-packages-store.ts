import { create } from 'zustand'
import type {
  PackageExportScope,
  PackageImportResult,
  PackageInfo,
  PackageSummary,
  PackagesProgress,
} from '../../../../shared/api/packages'
import { toAppError, type AppError } from '../../../../shared/errors'
import { call, getApi } from '../../api/outpost'
import { useSyncStore } from '../../stores/use-sync-store'

type Busy = 'export' | 'inspect' | 'import' | null

type PackagesState = {
  busy: Busy
  progress: PackagesProgress | null
  exported: PackageSummary | null
  exportError: AppError | null
  preview: (PackageInfo & { path: string }) | null
  imported: PackageImportResult | null
  importError: AppError | null
  follow: () => () => void
  exportTo: (path: string, scope: PackageExportScope) => Promise<void>
  inspect: (path: string) => Promise<void>
  apply: () => Promise<void>
  reset: () => void
}

/** The packages screen's state: one operation at a time, its progress, its summary or its refusal. */
export const usePackagesStore = create<PackagesState>((set, get) => ({
  busy: null,
  progress: null,
  exported: null,
  exportError: null,
  preview: null,
  imported: null,
  importError: null,
  follow: () => getApi().on('packages.progress', (progress) => set({ progress })),
  exportTo: async (path, scope) => {
    set({ busy: 'export', progress: null, exported: null, exportError: null })
    try {
      set({ exported: await call('packages.export', { path, scope }) })
    } catch (error) {
      set({ exportError: toAppError(error) })
    } finally {
      set({ busy: null, progress: null })
    }
  },
  inspect: async (path) => {
    set({ busy: 'inspect', progress: null, preview: null, imported: null, importError: null })
    try {
      set({ preview: { ...(await call('packages.inspect', { path })), path } })
    } catch (error) {
      set({ importError: toAppError(error) })
    } finally {
      set({ busy: null, progress: null })
    }
  },
  apply: async () => {
    const preview = get().preview
    if (!preview) return
    set({ busy: 'import', progress: null, importError: null })
    try {
      set({ imported: await call('packages.import', { path: preview.path }), preview: null })
      await useSyncStore.getState().refresh() // the waiting count drops: the core has no event for it
    } catch (error) {
      set({ importError: toAppError(error) })
    } finally {
      set({ busy: null, progress: null })
    }
  },
  reset: () => set({ exported: null, exportError: null, preview: null, imported: null, importError: null }),
}))
