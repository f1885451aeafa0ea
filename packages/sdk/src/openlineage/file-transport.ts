import { appendFile, mkdir } from 'node:fs/promises'
import { dirname, resolve } from 'node:path'
import type { OpenLineageRunEvent } from '@lore/store/openlineage'
import type { OpenLineageTransport } from './transport.js'

/**
 * Appends each event to a file as one line of JSON (NDJSON), creating the file (mode 0600,
 * since events carry parameters) and its folder when missing.
 *
 * @example
 * new FileTransport('/var/log/lore/openlineage.ndjson')
 */
export class FileTransport implements OpenLineageTransport {
  readonly description: string
  readonly #path: string
  #ready: Promise<void> | undefined

  constructor(path: string) {
    this.#path = resolve(path)
    this.description = `file ${this.#path}`
  }

  async emit(event: OpenLineageRunEvent): Promise<void> {
    this.#ready ??= mkdir(dirname(this.#path), { recursive: true }).then(
      () => undefined,
    )
    await this.#ready
    await appendFile(this.#path, `${JSON.stringify(event)}\n`, {
      mode: 0o600,
    })
  }

  close(): Promise<void> {
    return Promise.resolve()
  }
}
