import type { OpenLineageRunEvent } from '@lore/store/openlineage'
import type { OpenLineageTransport } from './transport.js'

/**
 * Sends each event to every transport in turn, as the Python client's composite transport
 * does with `continue_on_failure`: one that fails does not stop the others, and `emit`
 * rejects afterwards with the first failure (so the emitter keeps the event).
 *
 * @example
 * new CompositeTransport([new ConsoleTransport(), new HttpTransport({ url })])
 */
export class CompositeTransport implements OpenLineageTransport {
  readonly description: string
  readonly #transports: readonly OpenLineageTransport[]

  constructor(transports: readonly OpenLineageTransport[]) {
    this.#transports = Object.freeze([...transports])
    this.description = `composite (${transports.map((transport) => transport.description).join(', ')})`
  }

  async emit(event: OpenLineageRunEvent): Promise<void> {
    const results = await Promise.allSettled(
      this.#transports.map((transport) => transport.emit(event)),
    )
    const failed = results.find((result) => result.status === 'rejected')
    if (failed !== undefined) throw (failed as PromiseRejectedResult).reason
  }

  async close(): Promise<void> {
    await Promise.allSettled(
      this.#transports.map((transport) => transport.close()),
    )
  }
}
