import { create } from 'zustand'
import { toAppError, type AppError } from '../../../shared/errors'

export type Toast = { id: number; error: AppError }

type ToastState = {
  toasts: Toast[]
  showError: (thrown: unknown) => void
  dismiss: (id: number) => void
}

let nextId = 1

/** App-wide error toasts: every failed call ends here with the AppError's message. */
export const useToastStore = create<ToastState>((set) => ({
  toasts: [],
  showError: (thrown) => {
    const toast = { id: nextId++, error: toAppError(thrown) }
    // Keep the latest few: a burst of identical failures must not bury the screen.
    set((state) => ({ toasts: [...state.toasts.filter((t) => t.error.message !== toast.error.message), toast].slice(-3) }))
  },
  dismiss: (id) => set((state) => ({ toasts: state.toasts.filter((t) => t.id !== id) })),
}))
