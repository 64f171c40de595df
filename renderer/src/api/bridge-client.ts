import type { OutpostApi } from '../../../shared/api'
import { appError, type Result } from '../../../shared/errors'

const tokenKey = 'outpost.bridgeToken'

/**
 * The bridge's token arrives once in the URL fragment (never sent to a server, never in history
 * after this); it is kept for the tab's lifetime only.
 */
export function takeBridgeToken(location: Location, storage: Storage, history: History): string | null {
  const fromHash = new URLSearchParams(location.hash.replace(/^#/, '')).get('token')
  if (fromHash) {
    storage.setItem(tokenKey, fromHash)
    history.replaceState(null, '', location.pathname + location.search)
    return fromHash
  }
  return storage.getItem(tokenKey)
}

/** `window.outpost` for a renderer served by the loopback bridge instead of Electron. */
export function createBridgeClient(origin: string, token: string): OutpostApi {
  const listeners = new Map<string, Set<(payload: unknown) => void>>()
  let socket: WebSocket | null = null

  const connect = (): void => {
    socket = new WebSocket(`${origin.replace(/^http/, 'ws')}/api/events?token=${encodeURIComponent(token)}`)
    socket.onmessage = (message) => {
      const event = JSON.parse(String(message.data)) as { name: string; payload: unknown }
      for (const listener of listeners.get(event.name) ?? []) listener(event.payload)
    }
    // The core may restart (npm start relaunch); reconnect quietly while anyone listens.
    socket.onclose = () => {
      socket = null
      if (listeners.size > 0) setTimeout(connect, 1000)
    }
  }

  return {
    invoke: async (name, input) => {
      try {
        const response = await fetch(`${origin}/api/invoke`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
          body: JSON.stringify({ name, input }),
        })
        return (await response.json()) as Result<never>
      } catch {
        return { ok: false, error: appError('unavailable', 'Outpost’s core is not answering. Is it still running?') }
      }
    },
    on: (name, listener) => {
      const set = listeners.get(name) ?? new Set()
      set.add(listener as (payload: unknown) => void)
      listeners.set(name, set)
      if (!socket) connect()
      return () => {
        set.delete(listener as (payload: unknown) => void)
        if (set.size === 0) listeners.delete(name)
      }
    },
  }
}
