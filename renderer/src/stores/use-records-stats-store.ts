import { create } from 'zustand'
import type { RecordsStats } from '../../../shared/api/records'
import { call } from '../api/outpost'
import { useToastStore } from './use-toast-store'

export type StatsFilter = { formId: string; from: string; to: string }

type StatsState = {
  filter: StatsFilter
  stats: RecordsStats | null
  load: () => Promise<void>
  setFilter: (patch: Partial<StatsFilter>) => void
  setTarget: (formId: string, target: number | null) => Promise<void>
}

/** Day bounds in the person's own time zone, as the days of the chart are. */
const dayStart = (day: string) => new Date(`${day}T00:00:00`).getTime()
const dayEnd = (day: string) => new Date(`${day}T23:59:59.999`).getTime()

export const useStatsStore = create<StatsState>((set, get) => ({
  filter: { formId: '', from: '', to: '' },
  stats: null,
  load: async () => {
    const { formId, from, to } = get().filter
    try {
      const stats = await call('records.stats', {
        ...(formId ? { formId } : {}),
        ...(from ? { from: dayStart(from) } : {}),
        ...(to ? { to: dayEnd(to) } : {}),
        tzOffsetMinutes: -new Date().getTimezoneOffset(),
      })
      if (get().filter.formId === formId) set({ stats })
    } catch (error) {
      useToastStore.getState().showError(error)
    }
  },
  setFilter: (patch) => {
    set((s) => ({ filter: { ...s.filter, ...patch } }))
    void get().load()
  },
  setTarget: async (formId, target) => {
    try {
      await call('records.setTarget', { formId, target })
    } catch (error) {
      useToastStore.getState().showError(error)
    }
    await get().load()
  },
}))
