import type { OpenLineageRunEvent } from '@lore/store/openlineage'
import { messageOf } from '../capture/text-of.js'
import type { Outbox, OutboxRecord } from '../outbox/outbox.js'
import { RefusedEventError, type OpenLineageTransport } from './transport.js'

/** Options of {@link OpenLineageEmitter}. */
export interface EmitterOptions {
  transport: OpenLineageTransport
  /** Where events wait that the transport could not take (the recorder's outbox file). */
  outbox: Outbox
  /** Told about a failure (once per kind of failure). @default a line on stderr */
  warn?: (message: string) => void
  /**
   * After a failed send, the first wait before the outbox is sent again (events still go to
   * it at once); it doubles up to `maxRetryDelayMs`, as the store's outbox does. `flush`
   * always tries.
   * @default 1000
   */
  minRetryDelayMs?: number
  /** @default 30000 */
  maxRetryDelayMs?: number
}

/** One OpenLineage event kept in the outbox, under its receiver's url. */
export interface OpenLineageOutboxEntry {
  /** What `lore outbox list` shows: `openlineage START orders-model.fitModel`. */
  operation: string
  event: OpenLineageRunEvent
}

const entryOf = (event: OpenLineageRunEvent): OpenLineageOutboxEntry => ({
  operation:
    `openlineage ${event.eventType ?? 'OTHER'} ${event.job.name}`.slice(0, 200),
  event,
})

/**
 * Sends events through a transport, in order, and never throws or rejects. Events go out at
 * once; one the transport cannot take is kept, with every event after it, in the outbox (the
 * SQLite file the recorder keeps a store's writes in), filed under the receiver's url. What
 * waits there is sent first, oldest first, after a doubling back-off, by a timer, the next
 * `emit` or `flush` — or by the emitter of a later process, as soon as it is made. An event
 * the receiver refuses for good (4xx) moves to the outbox's dead-letter table with a warning
 * (`lore outbox list`, `retry`, `drop`), so that it cannot hold up the rest.
 *
 * @example
 * const emitter = new OpenLineageEmitter({ transport, outbox: new Outbox('.lore/outbox.db') })
 * emitter.emit(events) // returns at once
 * await emitter.flush()
 */
export class OpenLineageEmitter {
  readonly #transport: OpenLineageTransport
  readonly #outbox: Outbox
  readonly #warn: (message: string) => void
  readonly #warned = new Set<string>()
  /** Events not sent yet and not in the outbox, oldest first. */
  readonly #pending: OpenLineageRunEvent[] = []
  #chain: Promise<void> = Promise.resolve()
  readonly #minDelayMs: number
  readonly #maxDelayMs: number
  #delayMs: number
  #nextAttempt = 0
  #timer: NodeJS.Timeout | undefined
  #closed = false
  sent = 0
  refused = 0

  constructor(options: EmitterOptions) {
    this.#transport = options.transport
    this.#outbox = options.outbox
    this.#minDelayMs = options.minRetryDelayMs ?? 1000
    this.#maxDelayMs = options.maxRetryDelayMs ?? 30_000
    this.#delayMs = this.#minDelayMs
    this.#warn =
      options.warn ??
      ((message) =>
        void process.stderr.write(`lore: OpenLineage: ${message}\n`))
    // What an earlier process could not send goes first, now.
    if (this.#kept() > 0) this.#schedule()
  }

  /** The transport's description, for messages. */
  get target(): string {
    return this.#transport.description
  }

  /** The key its events wait under in the outbox: the receiver's url, else the description. */
  get key(): string {
    return this.#transport.endpoint ?? this.#transport.description
  }

  /** How many events wait to be sent: in the outbox (from any process) and in memory. */
  get queued(): number {
    return this.#kept() + this.#pending.length
  }

  /** Queue `events` and send them in the background, in order. Returns at once; never throws. */
  emit(events: readonly OpenLineageRunEvent[]): void {
    if (events.length === 0 || this.#closed) return
    this.#pending.push(...events)
    // Backing off: the receiver is not asked again for every event; the timer sends them.
    if (Date.now() < this.#nextAttempt) {
      this.#keep()
      this.#schedule()
      return
    }
    this.#send()
  }

  /**
   * Try to send everything waiting; resolves when that is done, or after `timeoutMs` — what
   * is left then is kept in the outbox for later (this process's timer, or a later process).
   * Never rejects.
   */
  async flush(timeoutMs?: number): Promise<void> {
    const done = this.#send(true)
    if (timeoutMs === undefined) {
      await done
      return
    }
    let timer: NodeJS.Timeout | undefined
    const late = await Promise.race([
      done.then(() => false),
      new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(true), timeoutMs)
        timer.unref()
      }),
    ])
    clearTimeout(timer)
    if (late) this.#keep()
  }

  /** Flush (for at most `timeoutMs`), keep what is left, close the transport. */
  async close(timeoutMs?: number): Promise<void> {
    await this.flush(timeoutMs)
    this.#keep()
    this.#closed = true
    if (this.#timer !== undefined) clearTimeout(this.#timer)
    this.#timer = undefined
    await this.#transport.close().catch(() => undefined)
  }

  #send(now = false): Promise<void> {
    this.#chain = this.#chain.then(() => this.#drain(now))
    return this.#chain
  }

  #once(kind: string, message: string): void {
    if (this.#warned.has(kind)) return
    this.#warned.add(kind)
    this.#warn(message)
  }

  /** Events in the outbox for this receiver; 0 when the file cannot be read. */
  #kept(): number {
    try {
      return this.#outbox.pending(this.key)
    } catch {
      return 0
    }
  }

  /** Move the events in memory to the outbox, in order, after those waiting there. */
  #keep(): void {
    if (this.#pending.length === 0) return
    const events = this.#pending.splice(0)
    try {
      for (const event of events) this.#outbox.append(this.key, entryOf(event))
    } catch (error) {
      this.#once(
        'outbox',
        `${events.length} event(s) were lost: the outbox ${this.#outbox.path} failed (${messageOf(error)})`,
      )
    }
  }

  #backOff(error: unknown): void {
    this.#nextAttempt = Date.now() + this.#delayMs
    this.#delayMs = Math.min(this.#delayMs * 2, this.#maxDelayMs)
    this.#once(
      'unreachable',
      `${messageOf(error)}; events wait in the outbox ${this.#outbox.path} and are sent once it answers (see them with: lore outbox list)`,
    )
    this.#schedule()
  }

  #schedule(): void {
    if (this.#timer !== undefined || this.#closed) return
    const delay = Math.max(0, this.#nextAttempt - Date.now())
    // Unref'd: emission never keeps a process alive; a later process sends the rest.
    this.#timer = setTimeout(() => {
      this.#timer = undefined
      void this.#send(true)
    }, delay)
    this.#timer.unref()
  }

  /** Send the outbox's events, then those in memory, oldest first. */
  async #drain(now: boolean): Promise<void> {
    if (!now && Date.now() < this.#nextAttempt) return
    if (this.#kept() > 0) {
      // Older than anything in memory: those wait behind them.
      this.#keep()
      try {
        const result = await this.#outbox.drain<OpenLineageOutboxEntry>(
          this.key,
          async (entry) => {
            await this.#transport.emit(entry.event)
            this.sent++
          },
          {
            isInvalid: (error) => error instanceof RefusedEventError,
            onDeadLetter: (record: OutboxRecord, error) => {
              this.refused++
              this.#once(
                `refused:${(error as RefusedEventError).status}`,
                `${this.target} refused an event (${messageOf(error)}); it was moved to the dead-letter table of ${this.#outbox.path} as entry ${record.id} (lore outbox list, retry or drop)`,
              )
            },
          },
        )
        // Another process is sending them: ask again later.
        if (result.busy) {
          this.#backOff(new Error(`another process is sending to ${this.key}`))
          return
        }
        this.#delayMs = this.#minDelayMs
      } catch (error) {
        this.#backOff(error)
        return
      }
    }
    while (this.#pending.length > 0) {
      const event = this.#pending[0]!
      try {
        await this.#transport.emit(event)
        this.sent++
        this.#delayMs = this.#minDelayMs
        // flush() may have kept it (timed out) meanwhile: then it is sent again later.
        if (this.#pending[0] === event) this.#pending.shift()
      } catch (error) {
        this.#keep()
        // A refusal for good: the outbox's drain moves it to its dead-letter table.
        if (error instanceof RefusedEventError) await this.#drain(true)
        else this.#backOff(error)
        return
      }
    }
  }
}
