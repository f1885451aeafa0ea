import { LoreError, type MetadataStore } from '@lore/store'
import type { RecordSink } from '../core/record-sink.js'
import type { RunState } from '../core/run-state.js'
import type { StepCall } from '../core/step-call.js'
import type { Flushable } from '../runtime/exit-hooks.js'
import type {
  QueueItem,
  RecorderStats,
  RunItem,
  StepItem,
} from './queue-items.js'
import {
  resolveRecorderOptions,
  type RecorderOptions,
  type ResolvedRecorderOptions,
} from './recorder-options.js'
import { RecordingFailures } from './recording-failures.js'
import { ensureRunContext, heartbeatItems, writeRunItem } from './run-writer.js'
import { StepWriter } from './step-writer.js'
import { StoreWriter } from './store-writer.js'
import { outboxGateFor } from '../outbox/outbox-for-store.js'
import { lazyOpenLineageSink } from '../openlineage/lazy-openlineage-sink.js'

export type { RecorderStats } from './queue-items.js'

const isRemote = (url: string): boolean => /^https?:/i.test(url)

const remoteRetries = {
  maxRetries: 2,
  minRetryDelayMs: 50,
  maxRetryDelayMs: 200,
}

/**
 * The write-behind queue between step calls and a store. The caller's path only appends a
 * reference to the queue; capture (naming, serialising, hashing) and writing happen later, in
 * order, in batches of one transaction each. The recorder never throws into user code and
 * never ends the process; in strict mode (`LORE_STRICT=1`) a recording error is kept and
 * thrown by the next step call, `flush()` and the end of the run.
 *
 * Back-pressure: the queue holds at most `maxQueuedRecords` step records. When it is full,
 * an async step's promise waits (up to `maxWaitMs`) for the recorder to make room before it
 * settles; a sync step cannot wait, so its record is dropped. Dropped records are counted,
 * reported on stderr and stored in the run's record (`droppedRecords`).
 *
 * @example
 * const recorder = new Recorder('sqlite:.lore/lore.db')
 * await recorder.flush()
 */
export class Recorder implements RecordSink, Flushable {
  readonly location: string
  readonly #options: ResolvedRecorderOptions
  readonly #source: string | MetadataStore
  #writer: Promise<StoreWriter> | undefined
  readonly #queue: QueueItem[] = []
  #stepItems = 0
  #scheduled = false
  #draining: Promise<void> | undefined
  readonly #activeRuns = new Set<RunState>()
  #heartbeat: NodeJS.Timeout | undefined
  readonly #roomWaiters: (() => void)[] = []
  #closed = false
  #lastAttemptMade = false
  readonly #stats: RecorderStats = {
    queued: 0,
    written: 0,
    dropped: 0,
    batches: 0,
  }
  readonly #failures: RecordingFailures
  readonly #steps: StepWriter
  /** OpenLineage emission (`OPENLINEAGE_URL`…), when configured; built from what is written. */
  readonly #lineage = lazyOpenLineageSink(() => this.store())

  constructor(store: string | MetadataStore, options: RecorderOptions = {}) {
    this.#source = store
    this.location =
      typeof store === 'string'
        ? store
        : ((store as { location?: string }).location ?? 'a MetadataStore')
    this.#options = resolveRecorderOptions(options)
    this.#failures = new RecordingFailures(this.location, this.#options)
    this.#steps = new StepWriter(this.#failures, this.#stats, (writer, run) =>
      ensureRunContext(writer, run, this.#options.heartbeatIntervalMs),
    )
  }

  /** The options in force, defaults filled in. */
  get options(): ResolvedRecorderOptions {
    return this.#options
  }

  /** A snapshot of the counters. */
  get stats(): RecorderStats {
    return {
      ...this.#stats,
      queued: this.#stepItems,
      dropped: this.#failures.dropped,
    }
  }

  /** The store this recorder writes to, opened on first use. */
  async store(): Promise<MetadataStore> {
    return (await this.#openWriter()).store()
  }

  #openWriter(): Promise<StoreWriter> {
    if (this.#writer === undefined) {
      const source = this.#source
      this.#writer = (async () => {
        if (typeof source !== 'string') return new StoreWriter(source)
        const { openStore } = await import('@lore/store')
        // The outbox retries with its own back-off: the client's retries stay short, so a
        // flush with the server down costs a fraction of a second, not the client's minutes.
        const connect = () => openStore(source, remoteRetries)
        const gate = outboxGateFor(source, connect, process.env, {
          warn: (message, kept) => {
            // Strict mode (tests) must not hide a store that does not open; a server that is
            // down is what the outbox is for.
            if (kept?.why === 'open' && this.#options.strict)
              this.#failures.fail(
                new LoreError('UNAVAILABLE', message, { cause: kept.error }),
              )
            else this.#failures.warn(message)
          },
        })
        if (gate === undefined || isRemote(source))
          return new StoreWriter(gate ?? (await connect()))
        // An embedded store is written directly once it opens. What an earlier process kept
        // while it could not be opened is sent first; if some of that stays, the gate stays
        // in front, so records reach the store in order.
        try {
          await gate.store()
        } catch {
          return new StoreWriter(gate)
        }
        if (gate.pending > 0 && !(await gate.settle({ last: true })))
          return new StoreWriter(gate)
        gate.close()
        return new StoreWriter(await gate.store())
      })()
      // A store that failed to open is tried again by the next drain.
      this.#writer.catch(() => {
        this.#writer = undefined
      })
    }
    return this.#writer
  }

  // ---- the caller's path -------------------------------------------------------------

  /** In strict mode, throw the recording error kept so far. Called at every step call. */
  checkStrict(): void {
    this.#failures.check()
  }

  /** True when a finished call can be queued without dropping it. */
  hasRoom(): boolean {
    return this.#stepItems < this.#options.maxQueuedRecords
  }

  /** A call began: only OpenLineage listens (its START); nothing is queued. */
  stepStarted(call: StepCall): void {
    this.#lineage?.stepStarted(call)
  }

  /** Queue a finished call's record; drops (and counts) it when the queue is full. */
  record(call: StepCall): void {
    if (this.#stepItems >= this.#options.maxQueuedRecords) {
      this.#failures.drop(call.run, 1, 'queue-full')
      void this.#drainNow()
      return
    }
    this.#queue.push({ kind: 'step', call })
    this.#stepItems++
    this.#lineage?.record()
    if (!this.#scheduled && this.#draining === undefined) this.#schedule()
  }

  /** Resolves when the queue has room again, or after `maxWaitMs`; never rejects. */
  waitForRoom(): Promise<void> {
    void this.#drainNow()
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer)
        resolve()
      }
      const timer = setTimeout(done, this.#options.maxWaitMs)
      timer.unref()
      this.#roomWaiters.push(done)
    })
  }

  // ---- runs --------------------------------------------------------------------------

  /** Queue the start of a run and keep its heartbeat going until it ends. */
  startRun(run: RunState): void {
    this.#activeRuns.add(run)
    this.#queue.push({ kind: 'run', run, phase: 'start' })
    this.#lineage?.startRun(run)
    this.#startHeartbeat()
    this.#schedule()
  }

  /** Queue a run's status again (an ad-hoc run reopened by a late step). */
  reopenRun(run: RunState): void {
    this.#activeRuns.add(run)
    this.#queue.push({ kind: 'run', run, phase: 'status' })
    this.#lineage?.startRun(run)
    this.#startHeartbeat()
    this.#schedule()
  }

  /** Queue the metric points logged on a run (`ctx.logMetric` outside steps) for writing. */
  recordRunMetrics(run: RunState): void {
    this.#queue.push({ kind: 'run', run, phase: 'metrics' })
    this.#schedule()
  }

  /**
   * Queue the end of a run, then write everything queued. Reports dropped records on stderr;
   * in strict mode rejects with the first recording error.
   */
  async endRun(run: RunState): Promise<void> {
    this.#activeRuns.delete(run)
    if (this.#activeRuns.size === 0) this.#stopHeartbeat()
    this.#queue.push({ kind: 'run', run, phase: 'end' })
    await this.#drainAll()
    await this.#lineage?.endRun(run)
    this.#failures.reportRun(run)
    this.checkStrict()
  }

  /** The runs in progress on this recorder. */
  get activeRuns(): ReadonlySet<RunState> {
    return this.#activeRuns
  }

  /**
   * Record the in-flight state of every active run as interrupted (CANCELED) and write it:
   * what a SIGINT or SIGTERM does before the process ends.
   */
  async interrupt(signal: string): Promise<void> {
    for (const run of this.#activeRuns) {
      run.status = 'CANCELED'
      run.endedAt = Date.now()
      run.error = {
        name: 'Interrupted',
        message: `the process received ${signal}`,
      }
      for (const call of run.inFlight)
        this.#queue.push({ kind: 'step', call, snapshot: 'CANCELED' })
      this.#queue.push({ kind: 'run', run, phase: 'end' })
    }
    this.#activeRuns.clear()
    this.#stopHeartbeat()
    await this.#drainAll()
    await this.#lineage?.flush()
  }

  /** Write everything queued. In strict mode, rejects with the first recording error. */
  async flush(): Promise<void> {
    await this.#drainAll()
    await this.#lineage?.flush()
    await this.#settleOutbox()
    this.checkStrict()
  }

  /** Flush, then close the store if this recorder opened it. Idempotent. */
  async close(): Promise<void> {
    if (this.#closed) return
    this.#closed = true
    this.#stopHeartbeat()
    await this.#drainAll()
    await this.#lineage?.flush()
    await this.#settleOutbox()
    if (typeof this.#source === 'string' && this.#writer !== undefined) {
      try {
        await (await this.#writer).openedStore?.close()
      } catch {
        // a store that never opened has nothing to close
      }
    }
    this.checkStrict()
  }

  /** True once {@link close} was called. */
  get closed(): boolean {
    return this.#closed
  }

  /** True when records are waiting or being written. */
  get busy(): boolean {
    return this.#queue.length > 0 || this.#draining !== undefined
  }

  /** At process exit: say on stderr what was lost and not yet reported. */
  reportOnExit(): void {
    // Exiting with records still queued means process.exit() or a crash skipped beforeExit.
    const unwritten = this.#queue.filter((item) => item.kind === 'step').length
    if (unwritten > 0)
      this.#failures.warn(
        `${unwritten} step record(s) were not written to ${this.location}: the process exited before they were flushed (await flush() before process.exit())`,
      )
    this.#failures.reportOnExit()
  }

  /**
   * At `beforeExit`, once: try to send what waits in the outbox even within its back-off, so
   * a run that ends after its server came back leaves nothing behind. Returns true when it
   * started work (the process then comes back to `beforeExit` once it is done).
   */
  lastAttempt(): boolean {
    if (this.#lastAttemptMade || this.#writer === undefined) return false
    this.#lastAttemptMade = true
    void this.#settleOutbox(true)
    return true
  }

  /** Try once more to send what a store could not take; what stays waits for later. */
  async #settleOutbox(last = false): Promise<void> {
    const gate =
      this.#writer && (await this.#writer.catch(() => undefined))?.outbox
    if (gate === undefined) return
    if (gate.pending > 0)
      await gate
        .settle({ last })
        .catch((error: unknown) => this.#failures.fail(error))
    // Closing (or ending): no retry timer outlives the recorder; a later process sends the rest.
    if (last || this.#closed) gate.close()
  }

  // ---- the recorder's own time ---------------------------------------------------------

  #schedule(): void {
    if (this.#scheduled) return
    this.#scheduled = true
    // Unref'd: a pending write never keeps the process alive; beforeExit flushes instead.
    setImmediate(() => {
      this.#scheduled = false
      void this.#drainNow()
    }).unref()
  }

  #drainNow(): Promise<void> {
    this.#draining ??= this.#drain().finally(() => {
      this.#draining = undefined
      this.#notifyRoom()
    })
    return this.#draining
  }

  async #drainAll(): Promise<void> {
    while (this.#queue.length > 0 || this.#draining !== undefined)
      await this.#drainNow()
  }

  async #drain(): Promise<void> {
    let writer: StoreWriter
    try {
      writer = await this.#openWriter()
    } catch (error) {
      const items = this.#queue.splice(0)
      this.#stepItems = 0
      for (const item of items)
        if (item.kind === 'step' && item.snapshot !== 'RUNNING')
          this.#failures.drop(item.call.run, 1, 'store-error')
      this.#failures.fail(error)
      return
    }
    while (this.#queue.length > 0) {
      const first = this.#queue[0]
      if (first?.kind === 'run') {
        this.#queue.shift()
        await this.#writeRun(writer, first)
        continue
      }
      let count = 0
      while (
        count < this.#options.maxBatchSize &&
        this.#queue[count]?.kind === 'step'
      )
        count++
      const items = this.#queue.splice(0, count) as StepItem[]
      this.#stepItems -= items.filter(
        (item) => item.snapshot === undefined,
      ).length
      this.#notifyRoom()
      await this.#steps.write(writer, items)
    }
  }

  #notifyRoom(): void {
    if (this.#roomWaiters.length === 0 || !this.hasRoom()) return
    for (const resolve of this.#roomWaiters.splice(0)) resolve()
  }

  async #writeRun(writer: StoreWriter, item: RunItem): Promise<void> {
    try {
      await writeRunItem(writer, item, this.#options.heartbeatIntervalMs)
    } catch (error) {
      this.#failures.fail(error)
    }
  }

  #tick(): void {
    this.#queue.push(
      ...heartbeatItems(this.#activeRuns, this.#options.heartbeatIntervalMs),
    )
    this.#schedule()
  }

  #startHeartbeat(): void {
    if (this.#heartbeat !== undefined) return
    this.#heartbeat = setInterval(
      () => this.#tick(),
      this.#options.heartbeatIntervalMs,
    )
    this.#heartbeat.unref()
  }

  #stopHeartbeat(): void {
    if (this.#heartbeat === undefined) return
    clearInterval(this.#heartbeat)
    this.#heartbeat = undefined
  }
}
