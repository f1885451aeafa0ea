import type { MetadataStore, Value } from '@lore/store'
import type { OpenLineageRunEvent } from '@lore/store/openlineage'
import type { RecordSink } from '../core/record-sink.js'
import type { RunState } from '../core/run-state.js'
import type { StepCall } from '../core/step-call.js'
import { runProperties } from '../recorder/run-properties.js'
import { buildRunEvents } from './build-run-events.js'
import {
  executionOf,
  runStartEvent,
  stepStartEvent,
} from './live-start-events.js'
import type { OpenLineageEmitter } from './openlineage-emitter.js'
import { readRunRecords } from './run-records.js'
import { openLineageRunId } from './run-id.js'

/** The part of the RecordSink port that emission listens to. */
export type LineageListener = Pick<
  RecordSink,
  'startRun' | 'record' | 'endRun' | 'flush'
> & {
  /** A call began, made inside `parent` (a call in flight, looked up when it began). */
  stepStarted(call: StepCall, parent?: StepCall): void
}

/** The call `call` was made in, while both are in flight. */
export const parentInFlight = (call: StepCall): StepCall | undefined =>
  call.parentId === undefined ? undefined : call.run.callInFlight(call.parentId)

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

const endTypes = ['COMPLETE', 'FAIL', 'ABORT']

const eventKey = (event: OpenLineageRunEvent): string =>
  `${event.run.runId}:${event.eventType ?? 'OTHER'}`

/** A run being emitted: the events sent (by runId and type), its properties at its start. */
interface Emission {
  sent: Set<string>
  properties: Promise<Record<string, Value>> | undefined
}

/**
 * Live OpenLineage emission, hung off the recorder through the RecordSink port: the recorder
 * calls it where it queues a run's start, a call's record and a run's end. Events are built
 * at once where it queues a run's start and a call begins: the run's and the step's START are
 * built from the run's properties and the call's snapshot (see live-start-events), as the
 * export builds them from the store. The ends are built from what the store holds once the
 * recorder wrote it (the same builder `lore export openlineage` uses), so fingerprints and
 * uris are the stored ones: each step's end, and the run's end when it ends.
 *
 * Nothing here blocks or throws into the pipeline: building happens on timers and after the
 * recorder has written, sending in the emitter's background, failures as one warning.
 */
export class OpenLineageSink implements LineageListener {
  readonly #options: Readonly<Required<Omit<OpenLineageSinkOptions, 'warn'>>>
  readonly #warn: (message: string) => void
  /** Runs being emitted, with the events already sent for each (by runId and type). */
  readonly #runs = new Map<RunState, Emission>()
  /** The last ad-hoc run that ended: a late step reopens it, and its events are not sent twice. */
  #endedAdhoc: { run: RunState; emission: Emission } | undefined
  /** Execution types whose base type is Train, as last read from the store. */
  #trainTypes: ReadonlySet<string> = new Set(['Train'])
  /** Step STARTs waiting for an input's record (a part of an output not written yet). */
  #waiting: { call: StepCall; parent: StepCall | undefined }[] = []
  #timer: NodeJS.Timeout | undefined
  /** True when the recorder queued something since the last read of the store. */
  #dirty = false
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
        this.#endedAdhoc?.run === run
          ? this.#endedAdhoc.emission
          : { sent: new Set(), properties: undefined },
      )
    this.#chain(() => this.#emitStart(run, undefined))
    this.#dirty = true
    this.#schedule()
  }

  /** A call began: its START goes out now, not once its record is written. */
  stepStarted(call: StepCall, parent = parentInFlight(call)): void {
    if (!this.#runs.has(call.run)) return
    this.#chain(() => this.#emitStart(call.run, { call, parent }))
  }

  record(): void {
    this.#dirty = true
    this.#schedule()
  }

  /** After the recorder wrote the run's end: emit what is left of it, then forget it. */
  async endRun(run: RunState): Promise<void> {
    const emission = this.#runs.get(run)
    if (emission === undefined) return
    await this.#sync([run])
    this.#runs.delete(run)
    if (run.adhoc) this.#endedAdhoc = { run, emission }
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
    // The store is read again only once the recorder queued something (a record, a run's
    // start): a long step costs no reads. Steps of other processes that join a run are
    // found at its next record, or at its end.
    this.#timer = setTimeout(() => {
      this.#timer = undefined
      const waiting = this.#waiting.length > 0
      if (!this.#dirty && !waiting) return
      this.#dirty = false
      void this.#sync([...this.#runs.keys()]).then(() => {
        if (this.#dirty || this.#waiting.length > 0) this.#schedule()
      })
    }, this.#options.intervalMs)
    this.#timer.unref()
  }

  #sync(runs: RunState[]): Promise<void> {
    return this.#chain(() => this.#syncRuns(runs))
  }

  /** One build at a time, in the order asked, so that no event is built or sent twice. */
  #chain(work: () => Promise<void>): Promise<void> {
    this.#syncing = this.#syncing.then(work)
    return this.#syncing
  }

  #send(emission: Emission, events: OpenLineageRunEvent[]): void {
    const fresh = events.filter((event) => !emission.sent.has(eventKey(event)))
    for (const event of fresh) emission.sent.add(eventKey(event))
    this.#options.emitter()?.emit(fresh)
  }

  /** Emit the START of `run`, or of a step call (after its run's), unless it was sent already. */
  async #emitStart(
    run: RunState,
    step: { call: StepCall; parent: StepCall | undefined } | undefined,
  ): Promise<void> {
    const emission = this.#runs.get(run)
    if (emission === undefined) return
    try {
      emission.properties ??= runProperties(run, false)
      const properties = await emission.properties
      const options = {
        namespace: this.#options.namespace,
        trainTypes: this.#trainTypes,
      }
      if (step === undefined) {
        this.#send(emission, [runStartEvent(run, properties, options)])
        return
      }
      const store = await this.#options.store().catch(() => undefined)
      const start = await stepStartEvent(step, properties, store, options)
      if (start !== undefined) this.#send(emission, [start])
      // Asked again by the next sync; once the call's record is written, that builds it.
      else if (step.call.state === 'RUNNING') {
        this.#waiting.push(step)
        this.#schedule()
      }
    } catch (error) {
      this.#warnOnce(error)
    }
  }

  #warnOnce(error: unknown): void {
    if (this.#warned) return
    this.#warned = true
    this.#warn(
      `could not build events: ${error instanceof Error ? error.message : String(error)}`,
    )
  }

  async #syncRuns(runs: RunState[]): Promise<void> {
    for (const step of this.#waiting.splice(0))
      await this.#emitStart(step.call.run, step)
    if (runs.length === 0) return
    try {
      const store = await this.#options.store()
      const trainTypes = new Set(
        (await store.getExecutionTypes())
          .filter((type) => type.baseType === 'Train' || type.name === 'Train')
          .map((type) => type.name),
      )
      this.#trainTypes = trainTypes
      for (const run of runs) {
        const emission = this.#runs.get(run)
        if (emission === undefined || run.contextId === undefined) continue
        const [context] = (
          await store.getContexts({ ids: [run.contextId], limit: 1 })
        ).items
        if (context === undefined) continue
        // An execution whose end went out needs no more than its name (a parent's).
        const records = await readRunRecords(store, context, {
          detailsOf: (execution) =>
            execution.externalId === undefined ||
            !endTypes.some((type) =>
              emission.sent.has(
                `${openLineageRunId(execution.externalId!)}:${type}`,
              ),
            ),
        })
        // A call in flight whose record is not written yet may be the parent of one that is
        // (a worker's step): known here, it is named as the parent, as the export will.
        // Its own events are not sent from here: its START went out when it began.
        const written = new Set(records.executions.map((e) => e.externalId))
        const unwritten = new Set<string>()
        for (const call of run.inFlight)
          if (!written.has(call.id)) {
            records.executions.push(executionOf(call, -1 - unwritten.size))
            unwritten.add(openLineageRunId(call.id))
          }
        this.#send(
          emission,
          buildRunEvents(records, {
            namespace: this.#options.namespace,
            trainTypes,
          }).filter((event) => !unwritten.has(event.run.runId)),
        )
      }
    } catch (error) {
      this.#warnOnce(error)
    }
  }
}
