import { events, type EventName, type EventPayload } from '../../shared/api'

export type CoreEvent = { [E in EventName]: { name: E; payload: EventPayload<E> } }[EventName]
export type EventListener = (event: CoreEvent) => void

/** The core's main → renderer events. Payloads are checked against the contract when sent. */
export class EventBus {
  private readonly listeners = new Set<EventListener>()

  emit<E extends EventName>(name: E, payload: EventPayload<E>): void {
    const checked = events[name].parse(payload)
    // TypeScript cannot correlate a generic name with its payload across the union; parse() above did.
    const event = { name, payload: checked } as CoreEvent
    for (const listener of this.listeners) listener(event)
  }

  get listenerCount(): number {
    return this.listeners.size
  }

  subscribe(listener: EventListener): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }
}
