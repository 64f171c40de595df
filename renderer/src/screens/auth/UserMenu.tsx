/** Placeholder: who is signed in, lock, change password, sign out; and the supervisor's links. */
export function UserMenu() {
  return null
}
