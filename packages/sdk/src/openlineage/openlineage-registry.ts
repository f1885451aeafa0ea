import type { MetadataStore } from '@lore/store'
import { sharedOutbox } from '../outbox/outbox-for-store.js'
import {
  resolveOpenLineageConfig,
  type OpenLineageOptions,
  type ResolvedOpenLineageConfig,
} from './openlineage-config.js'
import { OpenLineageEmitter } from './openlineage-emitter.js'
import { OpenLineageSink } from './openlineage-sink.js'
import {
  openLineageOptions,
  setOpenLineageOptions,
} from './openlineage-settings.js'

let current:
  | {
      config: ResolvedOpenLineageConfig
      emitter: OpenLineageEmitter | undefined
    }
  | undefined

const warn = (message: string): void =>
  void process.stderr.write(`lore: OpenLineage: ${message}\n`)

/** The process's emitter, made from the settings on first use; undefined when emission is off. */
function active(): {
  config: ResolvedOpenLineageConfig
  emitter: OpenLineageEmitter | undefined
} {
  if (current === undefined) {
    let config: ResolvedOpenLineageConfig
    try {
      config = resolveOpenLineageConfig(openLineageOptions())
    } catch (error) {
      // A bad OPENLINEAGE_URL must not stop a pipeline: say so once and emit nothing.
      warn(error instanceof Error ? error.message : String(error))
      config = resolveOpenLineageConfig({
        ...openLineageOptions(),
        disabled: true,
      })
    }
    const emitter =
      config.transport === undefined
        ? undefined
        : new OpenLineageEmitter({
            transport: config.transport,
            outbox: sharedOutbox(config.outboxPath),
            warn,
          })
    current = { config, emitter }
  }
  return current
}

/**
 * Set how pipelines emit OpenLineage events, in code (see OpenLineageOptions); the
 * environment fills in what is not given. Takes effect for recorders made afterwards; the
 * previous emitter is flushed (briefly) and closed.
 *
 * @example
 * configureOpenLineage({ url: 'http://marquez:5000', namespace: 'ml-team' })
 */
export async function configureOpenLineage(
  settings: OpenLineageOptions,
): Promise<void> {
  const previous = current
  setOpenLineageOptions(settings)
  current = undefined
  await previous?.emitter?.close(2000)
}

/** Send what waits, for at most `timeoutMs`, and close the emitter (at shutdown). */
export async function closeOpenLineage(timeoutMs = 2000): Promise<void> {
  const previous = current
  current = undefined
  await previous?.emitter?.close(timeoutMs)
}

/**
 * The OpenLineage sink of a recorder writing to `store`, or undefined when emission is off
 * (no `OPENLINEAGE_URL` nor transport, or `OPENLINEAGE_DISABLED`). Never throws.
 */
export function openLineageSinkFor(
  store: () => Promise<MetadataStore>,
): OpenLineageSink | undefined {
  try {
    const { config, emitter } = active()
    if (emitter === undefined) return undefined

    return new OpenLineageSink({
      store,
      emitter: () => active().emitter,
      namespace: config.namespace,
      intervalMs: config.intervalMs,
      warn,
    })
  } catch (error) {
    warn(error instanceof Error ? error.message : String(error))
    return undefined
  }
}
