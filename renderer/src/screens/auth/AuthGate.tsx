import type { ReactNode } from 'react'

/** Placeholder: first-run setup, login and the lock screen stand in front of the app. */
export function AuthGate({ children }: { children: ReactNode }) {
  return <>{children}</>
}
