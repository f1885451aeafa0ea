import type { MetadataStore } from '@lore/store'
import { registerRecorder, unregisterRecorder } from '../runtime/exit-hooks.js'
import { SinkProviders } from '../runtime/sink-provider.js'
import { Recorder } from './recorder.js'
import type { RecorderOptions } from './recorder-options.js'
import { defaultStoreLocation } from './store-url.js'

/** Process-wide settings: where steps outside a given store record, and the recorder's options. */
export interface LoreSettings extends RecorderOptions {
  /**
   * A store url (`sqlite:path`, `sqlite::memory:`) or an open `MetadataStore`.
   * @default `LORE_STORE`, else `.lore/lore.db` (see {@link defaultStoreLocation})
   */
  store?: string | MetadataStore
}

let settings: LoreSettings = {}
const byUrl = new Map<string, Recorder>()
const byStore = new WeakMap<MetadataStore, Recorder>()
const open = new Set<Recorder>()

function track(recorder: Recorder): Recorder {
  open.add(recorder)
  registerRecorder(recorder)
  return recorder
}

/**
 * Set where and how Lore records, for runs and steps that do not name a store. Takes effect
 * for recorders made afterwards; `flush()` first to finish writing to the previous store.
 *
 * @example
 * configure({ store: 'sqlite:/tmp/lore.db', maxQueuedRecords: 50_000 })
 */
export function configure(options: LoreSettings): void {
  settings = Object.freeze({ ...options })
}

/** The recorder of a store (made on first use), or of the configured default store. */
export function recorderFor(store?: string | MetadataStore): Recorder {
  const target = store ?? settings.store ?? defaultStoreLocation()
  const { store: _ignored, ...options } = settings
  if (typeof target === 'string') {
    let recorder = byUrl.get(target)
    if (recorder === undefined || recorder.closed) {
      recorder = track(new Recorder(target, options))
      byUrl.set(target, recorder)
    }
    return recorder
  }
  let recorder = byStore.get(target)
  if (recorder === undefined || recorder.closed) {
    recorder = track(new Recorder(target, options))
    byStore.set(target, recorder)
  }
  return recorder
}

/**
 * Write everything recorded so far, in every store. Call it before a short-lived process (a
 * serverless handler) returns; runs flush by themselves when they end.
 * In strict mode, rejects with the first recording error.
 *
 * @example
 * await flush()
 */
export async function flush(): Promise<void> {
  const results = await Promise.allSettled(
    [...open].map((recorder) => recorder.flush()),
  )
  const failed = results.find((result) => result.status === 'rejected')
  if (failed !== undefined) throw (failed as PromiseRejectedResult).reason
}

/** Forget every recorder (the next use makes new ones) and return them, for closing. */
export function detachRecorders(): Recorder[] {
  const recorders = [...open]
  byUrl.clear()
  open.clear()
  for (const recorder of recorders) unregisterRecorder(recorder)
  return recorders
}

// The runtime (below) finds its sinks here: a step called outside any pipeline records to
// the default store's recorder.
SinkProviders.provide(recorderFor)
