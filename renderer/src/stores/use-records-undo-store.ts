import { create } from 'zustand'

/** A change that can be taken back for a few seconds (deleting records). */
export type UndoOffer = { id: number; kind: 'deleted'; count: number; undo: () => Promise<void> }

type UndoState = {
  offer: UndoOffer | null
  show: (offer: Omit<UndoOffer, 'id'>) => void
  dismiss: () => void
  undo: () => Promise<void>
}

let nextId = 1

/** One snackbar at a time: a newer change replaces the older offer (which stays in the bin). */
export const useUndoStore = create<UndoState>((set, get) => ({
  offer: null,
  show: (offer) => set({ offer: { ...offer, id: nextId++ } }),
  dismiss: () => set({ offer: null }),
  undo: async () => {
    const offer = get().offer
    set({ offer: null })
    await offer?.undo()
  },
}))
