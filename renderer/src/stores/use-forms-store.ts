import { create } from 'zustand'
import type { FormSummary } from '../../../shared/api'
import { call } from '../api/outpost'
import { useToastStore } from './use-toast-store'

type FormsState = {
  forms: FormSummary[]
  status: 'idle' | 'loading' | 'ready' | 'failed'
  load: () => Promise<void>
}

export const useFormsStore = create<FormsState>((set) => ({
  forms: [],
  status: 'idle',
  load: async () => {
    set({ status: 'loading' })
    try {
      set({ forms: await call('forms.list', {}), status: 'ready' })
    } catch (error) {
      set({ status: 'failed' })
      useToastStore.getState().showError(error)
    }
  },
}))
