/** Placeholder: filled in by the work on this screen. */
export function SyncScreen() {
  return <section className="screen" data-testid="sync-screen" />
}
