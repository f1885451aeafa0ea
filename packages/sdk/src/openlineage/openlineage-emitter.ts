import type { OpenLineageRunEvent } from '@lore/store/openlineage'
import type { EventQueue } from './event-queue.js'
import { RefusedEventError, type OpenLineageTransport } from './transport.js'

/** Options of {@link OpenLineageEmitter}. */
export interface EmitterOptions {
  transport: OpenLineageTransport
  /** Where events wait that the transport could not take. */
  queue: EventQueue
  /** Told about a failure (once per kind of failure). @default a line on stderr */
  warn?: (message: string) => void
  /**
   * After a failed send, how long `emit` leaves the queue alone (events still go to it at
   * once): a receiver that is down is not asked again for every event. `flush` always tries.
   * @default 10000
   */
  retryAfterMs?: number
}

const batch = 100

/**
 * Sends events through a transport, in order, and never throws or rejects. Every event is
 * written to the queue first and sent from there, oldest first; one the transport cannot take
 * stops the sending and stays, with everything after it, until the next `emit` or `flush`
 * (in this process or a later one). An event the receiver refuses for good (4xx) is dropped
 * with a warning, so that it cannot hold up the rest.
 *
 * @example
 * const emitter = new OpenLineageEmitter({ transport, queue })
 * emitter.emit(events) // returns at once
 * await emitter.flush()
 */
export class OpenLineageEmitter {
  readonly #transport: OpenLineageTransport
  readonly #queue: EventQueue
  readonly #warn: (message: string) => void
  readonly #warned = new Set<string>()
  #chain: Promise<void> = Promise.resolve()
  readonly #retryAfterMs: number
  /** When the last send failed (performance.now()); undefined after a success. */
  #failedAt: number | undefined
  sent = 0
  refused = 0

  constructor(options: EmitterOptions) {
    this.#transport = options.transport
    this.#queue = options.queue
    this.#retryAfterMs = options.retryAfterMs ?? 10_000
    this.#warn =
      options.warn ??
      ((message) =>
        void process.stderr.write(`lore: OpenLineage: ${message}\n`))
  }

  /** The transport's description: the key its queued events are filed under. */
  get target(): string {
    return this.#transport.description
  }

  /** How many events wait in the queue for this transport. */
  get queued(): number {
    try {
      return this.#queue.count(this.target)
    } catch {
      return 0
    }
  }

  /**
   * Write `events` to the queue (durable at once: a process that dies next loses nothing),
   * then send the queue in the background, oldest first. Returns at once; never throws.
   */
  emit(events: readonly OpenLineageRunEvent[]): void {
    if (events.length === 0) return
    try {
      this.#queue.push(this.target, events)
    } catch (error) {
      this.#once(
        'queue',
        `${events.length} event(s) were lost: the event queue failed (${String(error)})`,
      )
      return
    }
    if (
      this.#failedAt !== undefined &&
      performance.now() - this.#failedAt < this.#retryAfterMs
    )
      return
    this.#chain = this.#chain.then(() =>
      this.#drainQueue().then(() => undefined),
    )
  }

  /**
   * Try to send everything queued; resolves when that is done, or after `timeoutMs` (what is
   * left stays queued for the next flush or process). Never rejects.
   */
  async flush(timeoutMs?: number): Promise<void> {
    this.#chain = this.#chain.then(() =>
      this.#drainQueue().then(() => undefined),
    )
    if (timeoutMs === undefined) {
      await this.#chain
      return
    }
    let timer: NodeJS.Timeout | undefined
    await Promise.race([
      this.#chain,
      new Promise<void>((resolve) => {
        timer = setTimeout(resolve, timeoutMs)
        timer.unref()
      }),
    ])
    clearTimeout(timer)
  }

  /** Flush (for at most `timeoutMs`), then close the transport and the queue. */
  async close(timeoutMs?: number): Promise<void> {
    await this.flush(timeoutMs)
    await this.#transport.close().catch(() => undefined)
    try {
      this.#queue.close()
    } catch {
      // a queue that failed to close has nothing more to lose: its rows are on disk
    }
  }

  #once(kind: string, message: string): void {
    if (this.#warned.has(kind)) return
    this.#warned.add(kind)
    this.#warn(message)
  }

  /** Send one event; false when it could not be sent now (it stays to be tried later). */
  async #sendOne(event: OpenLineageRunEvent): Promise<boolean> {
    try {
      await this.#transport.emit(event)
      this.sent++
      this.#failedAt = undefined
      return true
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error)
      if (error instanceof RefusedEventError) {
        this.refused++
        this.#once(
          `refused:${error.status}`,
          `${this.target} refused an event (${message}); it was dropped`,
        )
        return true
      }
      this.#failedAt = performance.now()
      this.#once(
        'unreachable',
        `${message}; events wait in the queue and are sent once it answers`,
      )
      return false
    }
  }

  /** Send what waits in the queue, oldest first; true when nothing is left. */
  async #drainQueue(): Promise<boolean> {
    try {
      for (;;) {
        const waiting = this.#queue.peek(this.target, batch)
        if (waiting.length === 0) return true
        const done: number[] = []
        for (const { seq, event } of waiting) {
          if (!(await this.#sendOne(event))) {
            this.#queue.remove(done)
            return false
          }
          done.push(seq)
        }
        this.#queue.remove(done)
      }
    } catch (error) {
      this.#once('queue', `the event queue failed: ${String(error)}`)
      return false
    }
  }
}
