import type { HistoryEntry } from '../../../../shared/api/records'

/** One line of the timeline: a record-level event, or a run of edits to one field. */
export type TimelineItem =
  | { kind: 'event'; entry: HistoryEntry }
  | {
      kind: 'field'
      path: string
      first: HistoryEntry
      last: HistoryEntry
      count: number
      /** The op just before the run: restoring "the value before" is restoring the value after it. */
      previousOpId: string | null
    }

/** Edits to one field by one person closer together than this read as one change: autosave logs every keystroke. */
export const runGapMs = 30_000

/** Paths the form keeps for itself (instance id, instance name) rather than answers. */
export function isTechnicalPath(path: string): boolean {
  return path.startsWith('#') || path.startsWith('meta/')
}

/**
 * Folds the autosave's keystroke-by-keystroke ops into one change per field and typing session,
 * newest first: "Name: Zai → Zainab Okafor" instead of a dozen lines. A restore, a status change
 * or a deletion ends every run, so the timeline never hides what happened around them.
 */
export function groupHistory(entries: HistoryEntry[]): TimelineItem[] {
  const items: TimelineItem[] = []
  const open = new Map<string, Extract<TimelineItem, { kind: 'field' }>>()
  entries.forEach((entry, i) => {
    if (entry.kind !== 'set') open.clear()
    if (entry.kind !== 'set' && entry.kind !== 'revert') {
      items.push({ kind: 'event', entry })
      return
    }
    const run = open.get(entry.path)
    if (
      run &&
      entry.kind === 'set' &&
      run.last.userId === entry.userId &&
      entry.at - run.last.at <= runGapMs
    ) {
      run.last = entry
      run.count += 1
      return
    }
    const item = {
      kind: 'field' as const,
      path: entry.path,
      first: entry,
      last: entry,
      count: 1,
      previousOpId: entries[i - 1]?.opId ?? null,
    }
    items.push(item)
    if (entry.kind === 'set') open.set(entry.path, item)
  })
  const seqOf = (item: TimelineItem) => (item.kind === 'event' ? item.entry.seq : item.last.seq)
  return items.sort((a, b) => seqOf(b) - seqOf(a))
}
