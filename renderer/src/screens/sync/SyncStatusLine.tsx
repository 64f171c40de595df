/** Placeholder: the sync status line in the header (last sync, waiting, progress, conflicts). */
export function SyncStatusLine() {
  return null
}
