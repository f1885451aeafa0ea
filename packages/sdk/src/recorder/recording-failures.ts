import { redactText } from '../capture/redact-text.js'
import { LoreError } from '@lore/store'
import { messageOf } from '../capture/text-of.js'
import type { RunState } from '../core/run-state.js'

/** Why step records were lost. */
export type DropReason = 'queue-full' | 'store-error'

/**
 * What went wrong while recording, and who was told. Outside strict mode the first error of a
 * store is said once on stderr and later ones are only counted; in strict mode the first is
 * kept and thrown by {@link check}. Lost records are counted per run and per recorder.
 */
export class RecordingFailures {
  readonly #location: string
  readonly #strict: boolean
  readonly #maxQueued: number
  #failure: Error | undefined
  #failureThrown = false
  #errorShown = false
  #dropped = 0
  #droppedShown = 0

  constructor(
    location: string,
    options: { strict: boolean; maxQueuedRecords: number },
  ) {
    this.#location = location
    this.#strict = options.strict
    this.#maxQueued = options.maxQueuedRecords
  }

  /** Step records lost in all runs so far. */
  get dropped(): number {
    return this.#dropped
  }

  /** Count `count` records of `run` as lost; in strict mode, a full queue is a failure. */
  drop(run: RunState, count: number, reason: DropReason): void {
    run.droppedRecords += count
    this.#dropped += count
    if (reason === 'queue-full' && this.#strict)
      this.#failure ??= new LoreError(
        'UNAVAILABLE',
        `the recorder's queue for ${this.#location} is full (maxQueuedRecords ${this.#maxQueued}); a step record was dropped`,
        { details: { reason } },
      )
  }

  /** A capture or a write failed: keep it (strict mode) or say it once on stderr. */
  fail(error: unknown): void {
    // A store's own errors keep their code; anything else says where recording failed.
    const failure = LoreError.isInstance(error)
      ? error
      : new LoreError(
          'UNAVAILABLE',
          `could not record to ${this.#location}: ${messageOf(error)}`,
          { cause: error },
        )
    if (this.#strict) {
      this.#failure ??= failure
      return
    }
    if (this.#errorShown) return
    this.#errorShown = true
    const message = failure.message.startsWith('could not record')
      ? failure.message
      : `could not record to ${this.#location}: ${failure.message}`
    this.warn(`${message} (later errors of this store are counted, not shown)`)
  }

  /** In strict mode, throw the first recording error, if any. */
  check(): void {
    if (this.#failure === undefined || !this.#strict) return
    this.#failureThrown = true
    throw this.#failure
  }

  /** At the end of a run: say on stderr how many of its records were lost. */
  reportRun(run: RunState): void {
    if (run.droppedRecords === 0) return
    this.#droppedShown += run.droppedRecords
    this.warn(
      `run ${run.id} (${run.pipeline.name}): ${run.droppedRecords} step record(s) were dropped and are missing from ${this.#location}; ` +
        'the queue was full or the store refused them (raise maxQueuedRecords with configure(), or see the error above)',
    )
  }

  /** At process exit: say what was lost and not yet said; a strict failure sets the exit code. */
  reportOnExit(): void {
    const unshown = this.#dropped - this.#droppedShown
    if (unshown > 0) {
      this.#droppedShown = this.#dropped
      this.warn(
        `${unshown} step record(s) were dropped and are missing from ${this.#location}`,
      )
    }
    if (this.#failure !== undefined && this.#strict && !this.#failureThrown) {
      this.#failureThrown = true
      this.warn(`strict mode: recording failed: ${this.#failure.message}`)
      if (!process.exitCode) process.exitCode = 1
    }
  }

  /** Say something on stderr, prefixed `lore:`; never throws. */
  warn(message: string): void {
    try {
      process.stderr.write(`lore: ${redactText(message)}\n`)
    } catch {
      // stderr closed: nothing more can be said
    }
  }
}
