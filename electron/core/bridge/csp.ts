/**
 * The Content-Security-Policy of the app page. No 'unsafe-eval' and no 'unsafe-inline' scripts:
 * form expressions are interpreted, never turned into code.
 */
const base = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "media-src 'self' blob:",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
]

/** In Electron the page talks to main over IPC only. */
export const appCsp = [...base, "connect-src 'none'"].join('; ')

/** In the browser the page talks to the bridge on its own origin only (HTTP and WebSocket). */
export function bridgeCsp(origin: string): string {
  return [...base, `connect-src 'self' ${origin.replace(/^http/, 'ws')}`].join('; ')
}
