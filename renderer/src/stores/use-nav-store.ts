import { create } from 'zustand'

export type View =
  | { name: 'home' }
  | { name: 'fill'; formId: string; recordId?: string }
  | { name: 'records'; formId: string }
  | { name: 'dashboard' }
  | { name: 'users' }
  | { name: 'sync' }
  | { name: 'conflicts'; recordId?: string }
  | { name: 'packages' }

type NavState = { view: View; go: (view: View) => void }

/** Where the person is. Screens are few, so this is state rather than URLs. */
export const useNavStore = create<NavState>((set) => ({
  view: { name: 'home' },
  go: (view) => set({ view }),
}))
