import { create } from 'zustand'
import type { FieldValue } from '../../../shared/records/values'
import type { SyncConflictView, SyncRejection, SyncStatus } from '../../../shared/api/sync'
import { toAppError, type AppError } from '../../../shared/errors'
import { call, getApi } from '../api/outpost'
import { useToastStore } from './use-toast-store'

export type EnrollInput = { registryUrl: string; code: string; deviceName: string }

type SyncStoreState = {
  status: SyncStatus | null
  conflicts: SyncConflictView[]
  /** The record the conflicts screen is limited to, if any. */
  conflictsOf: string | undefined
  rejections: SyncRejection[]
  enrolling: boolean
  enrollError: AppError | null
  /** The conflict being settled (its buttons wait). */
  resolving: string | null
  /** Follows the core: its sync events, plus a slow poll for what changes without one (edits waiting). */
  follow: () => () => void
  refresh: () => Promise<void>
  /** Loads the open conflicts (of one record, or all) and keeps that choice for later reloads. */
  showConflicts: (recordId: string | undefined) => Promise<void>
  loadConflicts: () => Promise<void>
  loadRejections: () => Promise<void>
  syncNow: () => Promise<void>
  cancel: () => Promise<void>
  enroll: (input: EnrollInput) => Promise<boolean>
  resolve: (conflictId: string, value: FieldValue) => Promise<boolean>
}

/** Edits made while nothing syncs change the waiting count without an event; this catches them. */
const pollMs = 5_000
let followers = 0
let stopFollowing: (() => void) | null = null

export const useSyncStore = create<SyncStoreState>((set, get) => ({
  status: null,
  conflicts: [],
  conflictsOf: undefined,
  rejections: [],
  enrolling: false,
  enrollError: null,
  resolving: null,
  follow: () => {
    followers++
    if (!stopFollowing) {
      let lastConflicts: number | null = null
      const off = getApi().on('sync.progress', (status) => {
        set({ status })
        // A sync that brought or settled conflicts: the conflicts screen must show them.
        if (status.conflicts !== lastConflicts) void get().loadConflicts()
        lastConflicts = status.conflicts
      })
      const timer = setInterval(() => void get().refresh(), pollMs)
      void get().refresh()
      stopFollowing = () => {
        off()
        clearInterval(timer)
      }
    }
    return () => {
      followers--
      if (followers === 0) {
        stopFollowing?.()
        stopFollowing = null
      }
    }
  },
  refresh: async () => {
    try {
      set({ status: await call('sync.status', {}) })
    } catch {
      // Quiet on purpose: before sign-in (or while the core restarts) the line simply shows nothing.
      set({ status: null })
    }
  },
  showConflicts: async (recordId) => {
    set({ conflictsOf: recordId })
    await get().loadConflicts()
  },
  loadConflicts: async () => {
    const recordId = get().conflictsOf
    try {
      const conflicts = await call('sync.conflicts', recordId ? { recordId } : {})
      if (get().conflictsOf === recordId) set({ conflicts })
    } catch (error) {
      useToastStore.getState().showError(error)
    }
  },
  loadRejections: async () => {
    try {
      set({ rejections: await call('sync.rejections', {}) })
    } catch (error) {
      useToastStore.getState().showError(error)
    }
  },
  syncNow: async () => {
    try {
      // The run reports its progress through events; its answer is the status once it ended.
      set({ status: await call('sync.now', {}) })
      await Promise.all([get().loadConflicts(), get().loadRejections()])
    } catch (error) {
      useToastStore.getState().showError(error)
    }
  },
  cancel: async () => {
    try {
      set({ status: await call('sync.cancel', {}) })
    } catch (error) {
      useToastStore.getState().showError(error)
    }
  },
  enroll: async (input) => {
    set({ enrolling: true, enrollError: null })
    try {
      await call('sync.enroll', input)
      await get().refresh()
      return true
    } catch (error) {
      set({ enrollError: toAppError(error) })
      return false
    } finally {
      set({ enrolling: false })
    }
  },
  resolve: async (conflictId, value) => {
    set({ resolving: conflictId })
    try {
      await call('sync.resolve', { conflictId, value })
      await Promise.all([get().loadConflicts(), get().refresh()])
      return true
    } catch (error) {
      useToastStore.getState().showError(error)
      return false
    } finally {
      set({ resolving: null })
    }
  },
}))
