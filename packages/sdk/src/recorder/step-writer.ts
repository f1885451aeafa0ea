import { LoreError, type PutExecutionRequest } from '@lore/store'
import { identityTracker } from '../capture/identity-tracker.js'
import type { RunState } from '../core/run-state.js'
import { returnedMetrics } from '../metrics/returned-metrics.js'
import {
  buildStepRequest,
  type BuildContext,
  type BuiltRequest,
} from './build-step-request.js'
import type { RecorderStats, StepItem } from './queue-items.js'
import type { RecordingFailures } from './recording-failures.js'
import type { StoreWriter } from './store-writer.js'
import {
  relinkMismatchedArtifacts,
  type TypeMismatch,
} from './relink-artifacts.js'

type Built = { item: StepItem; built: BuiltRequest }

/**
 * Turns queued step calls into `putExecution` requests and writes them as one batch. It
 * remembers which artifacts this store already has (weakly, by handle or tracked value), so
 * later uses only name them; a record the store refuses is written alone, not with its batch.
 */
export class StepWriter {
  readonly #failures: RecordingFailures
  readonly #stats: RecorderStats
  readonly #ensureRun: (writer: StoreWriter, run: RunState) => Promise<void>
  readonly #written = new WeakSet<object>()
  readonly #storedIds = new WeakMap<object, number>()
  readonly #mismatchesShown = new Set<string>()

  constructor(
    failures: RecordingFailures,
    stats: RecorderStats,
    ensureRun: (writer: StoreWriter, run: RunState) => Promise<void>,
  ) {
    this.#failures = failures
    this.#stats = stats
    this.#ensureRun = ensureRun
  }

  /** Build and write `items`, in order, in one transaction when the store takes them all. */
  async write(writer: StoreWriter, items: StepItem[]): Promise<void> {
    const built: Built[] = []
    // A batch's calls are mostly one run's: their context is made once, not per record.
    let contextRun: RunState | undefined
    let contextId: number | undefined
    let context: BuildContext | undefined
    for (const item of items) {
      try {
        const run = item.call.run
        if (run.contextId === undefined) await this.#ensureRun(writer, run)
        if (
          context === undefined ||
          run !== contextRun ||
          run.contextId !== contextId
        ) {
          context = this.#context(run)
          contextRun = run
          contextId = run.contextId
        }
        const request = await buildStepRequest(
          item.call,
          context,
          item.snapshot,
        )
        this.#attachMetrics(item, request.request)
        built.push({ item, built: request })
        const step = item.call.step
        if (step.file !== undefined) run.stepFiles.add(step.file)
        // The local modules a step imports are part of the run's code version too.
        for (const file of Object.keys(step.code.files)) run.stepFiles.add(file)
      } catch (error) {
        this.#lose([item], error)
      }
    }
    if (built.length === 0) return
    try {
      await this.#ensureTypes(writer, built)
      const results = await writer.writeBatch(
        built.map((entry) => entry.built.request),
      )
      this.#stats.batches++
      built.forEach((entry, index) => this.#count(entry, results[index]))
    } catch {
      // One bad record must not lose its whole batch: write them one by one.
      for (const entry of built) await this.#writeAlone(writer, entry)
    }
  }

  /**
   * Write one record on its own. Refused because one of its artifacts is stored under
   * another type, it is written again linked to the stored artifact, and the mismatch is
   * said once; refused otherwise, it is lost and counted.
   */
  async #writeAlone(writer: StoreWriter, entry: Built): Promise<void> {
    let request = entry.built.request
    for (let attempt = 0; ; attempt++) {
      try {
        await this.#ensureTypes(writer, [entry])
        const result = await writer.writeOne(request)
        this.#stats.batches++
        this.#count(entry, result)
        return
      } catch (error) {
        const relinked =
          attempt === 0 &&
          LoreError.isInstance(error) &&
          error.code === 'INVALID_ARGUMENT'
            ? await relinkMismatchedArtifacts(
                await writer.store(),
                request,
              ).catch(() => undefined)
            : undefined
        if (relinked === undefined) {
          // The store refused the record with its metric points: say why, and keep the
          // record without them rather than lose both.
          if (request.metrics !== undefined && request.metrics.length > 0) {
            this.#failures.fail(error)
            request = { ...request, metrics: [] }
            continue
          }
          this.#lose([entry.item], error)
          return
        }
        this.#reportMismatches(entry.item, relinked.mismatches)
        request = relinked.request
      }
    }
  }

  #reportMismatches(item: StepItem, mismatches: TypeMismatch[]): void {
    for (const mismatch of mismatches) {
      const key = `${mismatch.externalId}\u0000${mismatch.given}`
      if (this.#mismatchesShown.has(key)) continue
      this.#mismatchesShown.add(key)
      this.#failures.warn(
        `step '${item.call.step.name}' gave ${mismatch.uri ?? mismatch.externalId} as a '${mismatch.given}', but the store has it as a '${mismatch.stored}' (a node's type never changes); the step was recorded and linked to the stored '${mismatch.stored}'`,
      )
    }
  }

  #context(run: RunState): BuildContext {
    return {
      runContext:
        run.contextId !== undefined
          ? { id: run.contextId }
          : { type: 'PipelineRun', name: run.contextName, externalId: run.id },
      tracker: identityTracker,
      isWritten: (key) => this.#written.has(key),
      storedId: (key) => this.#storedIds.get(key),
      markWritten: (key) => {
        this.#written.add(key)
      },
    }
  }

  /** Count a written record, and keep its artifacts' ids: later uses name them by id. */
  #count(entry: Built, result: { artifactIds: number[] } | undefined): void {
    if (entry.item.snapshot !== 'RUNNING') {
      this.#stats.written++
      entry.item.call.run.stepCount++
    }
    if (result === undefined) return
    entry.built.artifactKeys.forEach((key, index) => {
      const id = result.artifactIds[index]
      if (id !== undefined) this.#storedIds.set(key, id)
    })
  }

  /**
   * Put a call's metric points in its request: those logged with `ctx.logMetric` and, once the
   * call is final, the numbers it returned under `metrics`. They are stored with the record, in
   * its transaction.
   */
  #attachMetrics(item: StepItem, request: PutExecutionRequest): void {
    const call = item.call
    if (item.snapshot === undefined && call.state === 'COMPLETE') {
      // A result that refuses to be looked at (a revoked Proxy) has no metrics to take.
      let returned: ReturnType<typeof returnedMetrics>
      try {
        returned = returnedMetrics(call.result)
      } catch {
        returned = { points: [], skipped: [] }
      }
      for (const point of returned.points) call.metrics.add(point)
      if (returned.skipped.length > 0)
        this.#failures.warn(
          `step '${call.step.name}' returned metrics ${returned.skipped.join(', ')} that are not finite numbers (NaN or Infinity); they were not stored`,
        )
    }
    if (call.metrics.size > 0) request.metrics = call.metrics.take()
  }

  async #ensureTypes(
    writer: StoreWriter,
    built: { built: BuiltRequest }[],
  ): Promise<void> {
    const executionTypes = new Set<string>()
    const artifactTypes = new Set<string>()
    for (const entry of built) {
      executionTypes.add(entry.built.executionType)
      for (const type of entry.built.artifactTypes) artifactTypes.add(type)
    }
    await writer.ensureTypes(executionTypes, artifactTypes)
  }

  #lose(items: StepItem[], error: unknown): void {
    for (const item of items)
      if (item.snapshot !== 'RUNNING')
        this.#failures.drop(item.call.run, 1, 'store-error')
    this.#failures.fail(error)
  }
}
