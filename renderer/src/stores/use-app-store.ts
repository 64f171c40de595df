import { create } from 'zustand'
import type { AppInfo, Settings, UiLanguage } from '../../../shared/api'
import { call } from '../api/outpost'
import { switchLanguage } from '../i18n'
import { useToastStore } from './use-toast-store'

type AppState = {
  info: AppInfo | null
  settings: Settings | null
  start: () => Promise<void>
  setLanguage: (language: UiLanguage) => Promise<void>
  applySettings: (settings: Settings) => Promise<void>
}

export const useAppStore = create<AppState>((set, get) => ({
  info: null,
  settings: null,
  start: async () => {
    try {
      const [info, settings] = await Promise.all([call('app.info', {}), call('settings.get', {})])
      set({ info })
      await get().applySettings(settings)
    } catch (error) {
      useToastStore.getState().showError(error)
    }
  },
  setLanguage: async (language) => {
    try {
      await get().applySettings(await call('settings.update', { language }))
    } catch (error) {
      useToastStore.getState().showError(error)
    }
  },
  applySettings: async (settings) => {
    set({ settings })
    await switchLanguage(settings.language)
  },
}))
