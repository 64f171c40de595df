import { create } from 'zustand'
import type { RecordStatusName, RecordSummary, RecordsListInput } from '../../../shared/api/records'
import type { ScalarValue } from '../../../shared/records/values'
import { call } from '../api/outpost'
import { useToastStore } from './use-toast-store'
import { useUndoStore } from './use-records-undo-store'

export const pageSize = 100

export type SortBy = 'updated' | 'created' | 'status' | 'instanceName'

export type RecordsQuery = {
  sort: { by: SortBy; direction: 'asc' | 'desc' }
  status: RecordStatusName[]
  /** The bin: soft-deleted records instead of the live ones. */
  deleted: boolean
  dateField: 'created' | 'updated'
  /** Inclusive day bounds, yyyy-mm-dd in the person's time zone ('' for none). */
  from: string
  to: string
  question: { path: string; value: ScalarValue } | null
  search: string
}

export const defaultQuery: RecordsQuery = {
  sort: { by: 'updated', direction: 'desc' },
  status: [],
  deleted: false,
  dateField: 'created',
  from: '',
  to: '',
  question: null,
  search: '',
}

type RecordsState = {
  formId: string | null
  query: RecordsQuery
  /** Loaded windows by page number; a new query or a change starts a new generation. */
  pages: Map<number, RecordSummary[]>
  generation: number
  total: number | null
  /** The total is a lower bound ("10,000+"): more rows appear as the table scrolls. */
  totalOpen: boolean
  selected: Set<string>
  focusIndex: number
  open: (formId: string) => void
  setQuery: (patch: Partial<RecordsQuery>) => void
  ensureRange: (start: number, end: number) => void
  refresh: () => void
  rowAt: (index: number) => RecordSummary | undefined
  setFocus: (index: number) => void
  toggleSelected: (id: string) => void
  setSelected: (ids: string[]) => void
  remove: (ids: string[]) => Promise<void>
  restore: (ids: string[]) => Promise<void>
  complete: (ids: string[]) => Promise<void>
}

const inFlight = new Set<string>()

const dayStart = (day: string) => new Date(`${day}T00:00:00`).getTime()
const dayEnd = (day: string) => new Date(`${day}T23:59:59.999`).getTime()

function listInput(formId: string, query: RecordsQuery, page: number): RecordsListInput {
  const filter: NonNullable<RecordsListInput['filter']> = { dateField: query.dateField }
  if (query.status.length > 0) filter.status = query.status
  if (query.from) filter.from = dayStart(query.from)
  if (query.to) filter.to = dayEnd(query.to)
  if (query.question) filter.question = query.question
  return {
    formId,
    offset: page * pageSize,
    limit: pageSize,
    sort: query.sort,
    filter,
    deleted: query.deleted,
    includeTotal: page === 0,
  }
}

type Window = {
  rows: RecordSummary[]
  /** The count, or for an open-ended list (search, a capped count) the rows seen so far + 1. */
  total: number | null
  open: boolean
}

/** Fetches one window; search and capped counts grow the total as the person scrolls on. */
async function fetchPage(formId: string, query: RecordsQuery, page: number): Promise<Window> {
  const seen = (rows: number, more: boolean) => page * pageSize + rows + (more ? 1 : 0)
  if (query.search.trim()) {
    const found = await call('records.search', {
      query: query.search,
      formId,
      // The same filters as the list: status, dates and a question narrow the matches.
      filter: listInput(formId, query, page).filter,
      offset: page * pageSize,
      limit: pageSize,
    })
    return { rows: found.rows, total: seen(found.rows.length, found.more), open: found.more }
  }
  const listed = await call('records.list', listInput(formId, query, page))
  if (page === 0 && !listed.totalIsLowerBound)
    return { rows: listed.rows, total: listed.total, open: false }
  const full = listed.rows.length === pageSize
  return {
    rows: listed.rows,
    total: Math.max(listed.total ?? 0, seen(listed.rows.length, full)),
    open: full,
  }
}

/** The first window sets the count; later ones only grow an open-ended one (search, "10,000+"). */
function nextTotal(
  s: { total: number | null; totalOpen: boolean },
  page: number,
  total: number | null,
  open: boolean,
) {
  if (page === 0) return { total, totalOpen: open }
  if (!s.totalOpen) return {}
  return { total: Math.max(total ?? 0, s.total ?? 0), totalOpen: open }
}

async function eachRecord(ids: string[], run: (id: string) => Promise<unknown>): Promise<void> {
  // One at a time: the core serialises writes anyway, and a failure stops at the first record.
  for (const id of ids) await run(id)
}

export const useRecordsStore = create<RecordsState>((set, get) => ({
  formId: null,
  query: defaultQuery,
  pages: new Map(),
  generation: 0,
  total: null,
  totalOpen: false,
  selected: new Set(),
  focusIndex: 0,
  open: (formId) => {
    if (get().formId === formId) return get().refresh()
    set({ formId, query: defaultQuery, selected: new Set(), focusIndex: 0 })
    get().refresh()
  },
  setQuery: (patch) => {
    set((s) => ({ query: { ...s.query, ...patch }, selected: new Set(), focusIndex: 0 }))
    get().refresh()
  },
  refresh: () => {
    set((s) => ({ pages: new Map(), generation: s.generation + 1, total: null, totalOpen: false }))
    get().ensureRange(0, pageSize - 1)
  },
  ensureRange: (start, end) => {
    const { formId, query, generation, pages } = get()
    if (!formId) return
    for (
      let page = Math.floor(Math.max(0, start) / pageSize);
      page <= Math.floor(end / pageSize);
      page++
    ) {
      const key = `${generation}:${page}`
      if (pages.has(page) || inFlight.has(key)) continue
      inFlight.add(key)
      fetchPage(formId, query, page)
        .then(({ rows, total, open }) => {
          if (get().generation !== generation) return // a newer query replaced this one
          set((s) => ({
            pages: new Map(s.pages).set(page, rows),
            ...nextTotal(s, page, total, open),
          }))
        })
        .catch((error: unknown) => useToastStore.getState().showError(error))
        .finally(() => inFlight.delete(key))
    }
  },
  rowAt: (index) => get().pages.get(Math.floor(index / pageSize))?.[index % pageSize],
  setFocus: (index) =>
    set((s) => ({ focusIndex: Math.max(0, Math.min(index, Math.max(0, (s.total ?? 1) - 1))) })),
  toggleSelected: (id) =>
    set((s) => {
      const selected = new Set(s.selected)
      if (!selected.delete(id)) selected.add(id)
      return { selected }
    }),
  setSelected: (ids) => set({ selected: new Set(ids) }),
  remove: async (ids) => {
    try {
      await eachRecord(ids, (id) => call('records.delete', { id }))
      useUndoStore
        .getState()
        .show({ kind: 'deleted', count: ids.length, undo: () => get().restore(ids) })
    } catch (error) {
      useToastStore.getState().showError(error)
    }
    set({ selected: new Set() })
    get().refresh()
  },
  restore: async (ids) => {
    try {
      await eachRecord(ids, (id) => call('records.restore', { id }))
    } catch (error) {
      useToastStore.getState().showError(error)
    }
    set({ selected: new Set() })
    get().refresh()
  },
  complete: async (ids) => {
    try {
      await eachRecord(ids, (id) => call('records.setStatus', { id, status: 'complete' }))
    } catch (error) {
      useToastStore.getState().showError(error)
    }
    set({ selected: new Set() })
    get().refresh()
  },
}))
