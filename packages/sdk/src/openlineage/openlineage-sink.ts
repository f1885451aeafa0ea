import type { MetadataStore } from '@lore/store'
import type { OpenLineageRunEvent } from '@lore/store/openlineage'
import type { RecordSink } from '../core/record-sink.js'
import type { RunState } from '../core/run-state.js'
import { buildRunEvents } from './build-run-events.js'
import type { OpenLineageEmitter } from './openlineage-emitter.js'
import { readRunRecords } from './run-records.js'

/** The part of the RecordSink port that emission listens to. */
export type LineageListener = Pick<
  RecordSink,
  'startRun' | 'record' | 'endRun' | 'flush'
>

/** Options of {@link OpenLineageSink}. */
export interface OpenLineageSinkOptions {
  /** The store the recorder writes to: events are built from what it holds. */
  store: () => Promise<MetadataStore>
  /**
   * The emitter events go through, asked each time: `configureOpenLineage` replaces the
   * process's emitter, and a recorder made before then follows it. Undefined: emit nothing.
   */
  emitter: () => OpenLineageEmitter | undefined
  namespace: string
  /** How often a running pipeline's new events are looked for, in ms. @default 1000 */
  intervalMs?: number
  /** The longest `flush()` waits for the receiver, in ms. @default 2000 */
  flushTimeoutMs?: number
  warn?: (message: string) => void
}

const eventKey = (event: OpenLineageRunEvent): string =>
  `${event.run.runId}:${event.eventType ?? 'OTHER'}`

/**
 * Live OpenLineage emission, hung off the recorder through the RecordSink port: the recorder
 * calls it where it queues a run's start, a call's record and a run's end. Events are built
 * from what the store holds once the recorder wrote it (the same builder `lore export
 * openlineage` uses), so fingerprints and uris are the stored ones: a run's START as soon
 * as its context is written, each step's START (while it runs, from its RUNNING snapshot, or
 * with its own start time once it ended) and its end, and the run's end when it ends.
 *
 * Nothing here blocks or throws into the pipeline: building happens on timers and after the
 * recorder has written, sending in the emitter's background, failures as one warning.
 */
export class OpenLineageSink implements LineageListener {
  readonly #options: Readonly<Required<Omit<OpenLineageSinkOptions, 'warn'>>>
  readonly #warn: (message: string) => void
  /** Runs being emitted, with the events already sent for each (by runId and type). */
  readonly #runs = new Map<RunState, Set<string>>()
  /** The last ad-hoc run that ended: a late step reopens it, and its events are not sent twice. */
  #endedAdhoc: { run: RunState; sent: Set<string> } | undefined
  #timer: NodeJS.Timeout | undefined
  #syncing: Promise<void> = Promise.resolve()
  #warned = false

  constructor(options: OpenLineageSinkOptions) {
    this.#options = Object.freeze({
      intervalMs: 1000,
      flushTimeoutMs: 2000,
      ...options,
    })
    this.#warn =
      options.warn ??
      ((message) =>
        void process.stderr.write(`lore: OpenLineage: ${message}\n`))
  }

  startRun(run: RunState): void {
    if (run.joined) return
    if (!this.#runs.has(run))
      this.#runs.set(
        run,
        this.#endedAdhoc?.run === run ? this.#endedAdhoc.sent : new Set(),
      )
    this.#schedule()
  }

  record(): void {
    this.#schedule()
  }

  /** After the recorder wrote the run's end: emit what is left of it, then forget it. */
  async endRun(run: RunState): Promise<void> {
    const sent = this.#runs.get(run)
    if (sent === undefined) return
    await this.#sync([run])
    this.#runs.delete(run)
    if (run.adhoc) this.#endedAdhoc = { run, sent }
    if (this.#runs.size === 0 && this.#timer !== undefined) {
      clearTimeout(this.#timer)
      this.#timer = undefined
    }
  }

  /** Emit what the store holds of the runs in progress, then try to send (bounded wait). */
  async flush(): Promise<void> {
    await this.#sync([...this.#runs.keys()])
    await this.#options.emitter()?.flush(this.#options.flushTimeoutMs)
  }

  #schedule(): void {
    if (this.#timer !== undefined) return
    // Unref'd: emission never keeps a process alive; the exit flush sends the rest.
    this.#timer = setTimeout(() => {
      this.#timer = undefined
      void this.#sync([...this.#runs.keys()]).then(() => {
        if (this.#runs.size > 0) this.#schedule()
      })
    }, this.#options.intervalMs)
    this.#timer.unref()
  }

  #sync(runs: RunState[]): Promise<void> {
    // One sync at a time, so that no event is built twice by overlapping reads.
    this.#syncing = this.#syncing.then(() => this.#syncRuns(runs))
    return this.#syncing
  }

  async #syncRuns(runs: RunState[]): Promise<void> {
    if (runs.length === 0) return
    try {
      const store = await this.#options.store()
      const trainTypes = new Set(
        (await store.getExecutionTypes())
          .filter((type) => type.baseType === 'Train' || type.name === 'Train')
          .map((type) => type.name),
      )
      for (const run of runs) {
        const sent = this.#runs.get(run)
        if (sent === undefined || run.contextId === undefined) continue
        const [context] = (
          await store.getContexts({ ids: [run.contextId], limit: 1 })
        ).items
        if (context === undefined) continue
        const events = buildRunEvents(await readRunRecords(store, context), {
          namespace: this.#options.namespace,
          trainTypes,
        }).filter((event) => !sent.has(eventKey(event)))
        for (const event of events) sent.add(eventKey(event))
        this.#options.emitter()?.emit(events)
      }
    } catch (error) {
      if (this.#warned) return
      this.#warned = true
      this.#warn(
        `could not build events from the store: ${error instanceof Error ? error.message : String(error)}`,
      )
    }
  }
}
