import type { MetadataStore } from '@lore/store'
import type { RunState } from '../core/run-state.js'
import type { StepCall } from '../core/step-call.js'
import { openLineageMayBeWanted } from './openlineage-settings.js'

/** What a recorder tells its OpenLineage sink. */
export interface OpenLineageHooks {
  startRun(run: RunState): void
  stepStarted(call: StepCall): void
  record(): void
  endRun(run: RunState): Promise<void>
  flush(): Promise<void>
}

/**
 * A recorder's OpenLineage sink, loaded only when emission may be wanted, so a pipeline that
 * emits nothing loads none of the emitter, its transports or the store's OpenLineage code.
 * Calls made while it loads keep their order. Never throws.
 */
export function lazyOpenLineageSink(
  store: () => Promise<MetadataStore>,
): OpenLineageHooks | undefined {
  if (!openLineageMayBeWanted()) return undefined
  const sink = import('./openlineage-registry.js')
    .then((registry) => registry.openLineageSinkFor(store))
    .catch(() => undefined)
  return {
    startRun: (run: RunState) => void sink.then((it) => it?.startRun(run)),
    stepStarted: (call: StepCall) => {
      // Looked up now: a sync parent is no longer in flight once the sink hears of the call.
      const parent =
        call.parentId === undefined
          ? undefined
          : call.run.callInFlight(call.parentId)
      void sink.then((it) => it?.stepStarted(call, parent))
    },
    record: () => void sink.then((it) => it?.record()),
    endRun: async (run: RunState) => (await sink)?.endRun(run),
    flush: async () => (await sink)?.flush(),
  }
}
