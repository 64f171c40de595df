/** Placeholder: filled in by the work on this screen. */
export function PackagesScreen() {
  return <section className="screen" data-testid="packages-screen" />
}
