import { create } from 'zustand'
import { toAppError, type AppError } from '../../../shared/errors'

export type Toast = { id: number; error: AppError }

type ToastState = {
  toasts: Toast[]
  showError: (thrown: unknown) => void
  dismiss: (id: number) => void
  /** Errors not worth a toast now (the auth store mutes "sign in" while the lock screen says so). */
  mute: (error: AppError) => boolean
}

let nextId = 1

/** App-wide error toasts: every failed call ends here with the AppError's message. */
export const useToastStore = create<ToastState>((set, get) => ({
  toasts: [],
  mute: () => false,
  showError: (thrown) => {
    const error = toAppError(thrown)
    if (get().mute(error)) return
    const toast = { id: nextId++, error }
    // Keep the latest few: a burst of identical failures must not bury the screen.
    set((state) => ({ toasts: [...state.toasts.filter((t) => t.error.message !== toast.error.message), toast].slice(-3) }))
  },
  dismiss: (id) => set((state) => ({ toasts: state.toasts.filter((t) => t.id !== id) })),
}))
