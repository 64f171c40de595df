/** Placeholder: filled in by the work on this screen. */
export function UsersScreen() {
  return <section className="screen" data-testid="users-screen" />
}
