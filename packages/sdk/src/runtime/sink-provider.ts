import type { MetadataStore } from '@lore/store'
import type { RecordSink } from '../core/record-sink.js'

/** Makes (or finds) the sink of a store: the default store when `store` is undefined. */
export type SinkProvider = (store?: string | MetadataStore) => RecordSink

/**
 * Where the runtime gets its sinks. The recorder layer sits above the runtime, so it plugs
 * itself in (`provideSinks`) when it is loaded — `@lore/sdk` loads it — instead of the
 * runtime importing it.
 */
export class SinkProviders {
  static #provider: SinkProvider | undefined

  /** Install the function that makes sinks; the last one installed wins. */
  static provide(provider: SinkProvider): void {
    SinkProviders.#provider = provider
  }

  /** The sink of `store` (or of the default store). */
  static sinkFor(store?: string | MetadataStore): RecordSink {
    const provider = SinkProviders.#provider
    if (provider === undefined)
      throw new Error(
        "no recorder is installed: import '@lore/sdk' (not a file inside it) to record steps",
      )
    return provider(store)
  }
}
