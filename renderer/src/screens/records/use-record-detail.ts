import { useCallback, useEffect, useState } from 'react'
import type { HistoryEntry, RecordDetail } from '../../../../shared/api/records'
import { call } from '../../api/outpost'
import { useToastStore } from '../../stores/use-toast-store'

export type RecordDetailState = {
  record: RecordDetail | null
  history: HistoryEntry[]
  reload: () => Promise<void>
  restoreField: (path: string, opId: string) => Promise<void>
}

async function fetchDetail(
  id: string,
): Promise<{ record: RecordDetail | null; history: HistoryEntry[] }> {
  try {
    const [record, timeline] = await Promise.all([
      call('records.get', { id }),
      call('records.history', { id }),
    ])
    return { record, history: timeline.entries }
  } catch (error) {
    useToastStore.getState().showError(error)
    return { record: null, history: [] }
  }
}

/** One record and its timeline, reloaded together after any change made from the detail view. */
export function useRecordDetail(id: string): RecordDetailState {
  const [record, setRecord] = useState<RecordDetail | null>(null)
  const [history, setHistory] = useState<HistoryEntry[]>([])
  const reload = useCallback(
    () =>
      fetchDetail(id).then(({ record: found, history: timeline }) => {
        if (!found) return // the toast said why; keep showing what we had
        setRecord(found)
        setHistory(timeline)
      }),
    [id],
  )
  useEffect(() => {
    let live = true
    void fetchDetail(id).then((found) => {
      if (!live) return
      setRecord(found.record)
      setHistory(found.history)
    })
    return () => {
      live = false
    }
  }, [id])
  const restoreField = useCallback(
    async (path: string, opId: string) => {
      try {
        await call('records.restoreField', { id, path, opId })
      } catch (error) {
        useToastStore.getState().showError(error)
      }
      await reload()
    },
    [id, reload],
  )
  return { record, history, reload, restoreField }
}
