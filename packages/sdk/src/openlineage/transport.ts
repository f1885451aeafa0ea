import type { OpenLineageRunEvent } from '@lore/store/openlineage'

/**
 * Where OpenLineage events go, as the official clients have it: console, file, http,
 * composite. `emit` sends events in the order given and resolves once all were taken; it
 * rejects when one could not be sent (the emitter then keeps it and the rest for later).
 */
export interface OpenLineageTransport {
  /** What the transport is, for messages: `http http://marquez:5000`, `file /tmp/ol.ndjson`. */
  readonly description: string
  /** The url events are sent to, if any: what they wait under in the outbox. */
  readonly endpoint?: string
  emit(event: OpenLineageRunEvent): Promise<void>
  /** Release what the transport holds (connections, files). Calling it twice is harmless. */
  close(): Promise<void>
}

/**
 * An event the receiver refused for good (HTTP 4xx other than 408 and 429): sending it again
 * would be refused again, so the emitter drops it instead of keeping it.
 */
export class RefusedEventError extends Error {
  readonly status: number
  constructor(message: string, status: number) {
    super(message)
    this.name = 'RefusedEventError'
    this.status = status
  }
}
