import type { OpenLineageRunEvent } from '@lore/store/openlineage'
import type { OpenLineageTransport } from './transport.js'

/** Options of {@link ConsoleTransport}. */
export interface ConsoleTransportOptions {
  /** Where each event goes, as one line of JSON. @default process.stderr */
  write?: (line: string) => void
}

/**
 * Writes each event as one line of JSON to stderr (or `write`), as the Python client's
 * console transport logs it: stdout stays the pipeline's own.
 *
 * @example
 * new ConsoleTransport({ write: (line) => lines.push(line) })
 */
export class ConsoleTransport implements OpenLineageTransport {
  readonly description = 'console'
  readonly #write: (line: string) => void

  constructor(options: ConsoleTransportOptions = {}) {
    this.#write =
      options.write ?? ((line: string) => void process.stderr.write(line))
  }

  emit(event: OpenLineageRunEvent): Promise<void> {
    this.#write(`${JSON.stringify(event)}\n`)
    return Promise.resolve()
  }

  close(): Promise<void> {
    return Promise.resolve()
  }
}
