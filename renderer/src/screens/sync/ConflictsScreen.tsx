/** Placeholder: filled in by the work on this screen. */
export function ConflictsScreen({ recordId }: { recordId?: string | undefined }) {
  void recordId
  return <section className="screen" data-testid="conflicts-screen" />
}
