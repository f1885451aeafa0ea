import { LoreError, type MetadataStore } from '@lore/store'
import { messageOf } from '../capture/text-of.js'
import type { Outbox, OutboxRecord } from './outbox.js'
import type { OutboxEntry } from './outbox-entry.js'
import { sendOutboxEntry } from './send-outbox-entry.js'

/** What {@link OutboxGate.write} answers for an entry kept in the outbox. */
export const outboxed = Symbol('lore.outboxed')

/** Options of an {@link OutboxGate}. */
export interface OutboxGateOptions {
  /**
   * The first wait before the outbox is sent again after the store could not be reached or
   * refused a write that may pass later; it doubles up to `maxRetryDelayMs`.
   * @default 1000
   */
  minRetryDelayMs?: number
  /** @default 30000 */
  maxRetryDelayMs?: number
  /**
   * Keep a write in the outbox when the open store refuses it in a way that may pass later
   * (5xx, 401/403, 429, a missing type or run). True in front of a store server; false for an
   * embedded store, whose outbox only holds what was recorded while it could not be opened.
   * @default true
   */
  keepRefused?: boolean
  /**
   * Told once, at the first write kept, why the store cannot take writes and where they are
   * kept (`kept` says whether it could not be opened or refused a write, with its error); and
   * about each kept entry the store later refused as invalid (moved to the outbox's
   * dead-letter table).
   * @default lines on stderr
   */
  warn?: (message: string, kept?: KeptReason) => void
}

/** Why the first write was kept in the outbox. */
export interface KeptReason {
  why: 'open' | 'send'
  error: unknown
}

/**
 * A refusal that may pass later: the server is down or overloaded (UNAVAILABLE, 5xx, 429),
 * the token is not (yet) accepted (401/403), a type or run an earlier entry makes is not
 * there yet (NOT_FOUND), a conflict (ABORTED, FAILED_PRECONDITION), or anything that is not
 * a store's answer at all (a network error, a proxy's page).
 */
export function mayPassLater(error: unknown): boolean {
  return !isInvalid(error)
}

/** A refusal of the entry itself, which sending it again cannot change (a 400). */
export function isInvalid(error: unknown): boolean {
  return (
    LoreError.isInstance(error) &&
    (error.code === 'INVALID_ARGUMENT' ||
      error.code === 'ALREADY_EXISTS' ||
      error.code === 'UNIMPLEMENTED')
  )
}

/** How a gate reaches its store: opened on first use, opened again after a failure. */
export type StoreConnector = () => Promise<MetadataStore>

/**
 * The recorder's way to a store that may be down or not open yet. A write goes to the store
 * when no earlier write of that store waits in the outbox; otherwise — or when the store
 * cannot be opened or reached, or refuses a write in a way that may pass later — it is
 * appended to the outbox, and the outbox is sent, in order, once the store answers again: on
 * a later write or `settle()` once the back-off has passed, on a timer, or by a later
 * process's first write. An entry is removed only once the store took it, or moved to the
 * outbox's dead-letter table when the store refused it as invalid (`lore outbox list`).
 *
 * @example
 * const gate = new OutboxGate(() => openStore(url), url, new Outbox(path))
 * const results = await gate.write({ operation: 'putExecutionBatch', requests })
 */
export class OutboxGate {
  readonly #connect: StoreConnector
  readonly #key: string
  readonly #outbox: Outbox
  readonly #config: Readonly<Required<Omit<OutboxGateOptions, 'warn'>>>
  readonly #warn: (message: string, kept?: KeptReason) => void
  #store: Promise<MetadataStore> | undefined
  #opened: MetadataStore | undefined
  #draining: Promise<void> | undefined
  #nextAttempt = 0
  #delayMs: number
  #timer: NodeJS.Timeout | undefined
  #told = false

  constructor(
    connect: StoreConnector | MetadataStore,
    key: string,
    outbox: Outbox,
    options: OutboxGateOptions = {},
  ) {
    this.#connect =
      typeof connect === 'function' ? connect : () => Promise.resolve(connect)
    this.#key = key
    this.#outbox = outbox
    this.#config = Object.freeze({
      minRetryDelayMs: options.minRetryDelayMs ?? 1000,
      maxRetryDelayMs: options.maxRetryDelayMs ?? 30_000,
      keepRefused: options.keepRefused ?? true,
    })
    this.#delayMs = this.#config.minRetryDelayMs
    this.#warn =
      options.warn ??
      ((message) => {
        try {
          process.stderr.write(`lore: ${message}\n`)
        } catch {
          // stderr closed: nothing more can be said
        }
      })
  }

  /** Entries waiting for this store (from any process sharing the outbox file). */
  get pending(): number {
    return this.#waiting()
  }

  /** Where kept writes go. */
  get outboxPath(): string {
    return this.#outbox.path
  }

  /** The store, opening it if needed; rejects with why it cannot be opened. */
  store(): Promise<MetadataStore> {
    if (this.#store === undefined) {
      const opening = this.#connect()
      this.#store = opening
      opening.then(
        (store) => {
          this.#opened = store
        },
        () => {
          // Not cached: the next attempt (after the back-off) opens it again.
          if (this.#store === opening) this.#store = undefined
        },
      )
    }
    return this.#store
  }

  /** The store if it was opened, for closing. */
  get openedStore(): MetadataStore | undefined {
    return this.#opened
  }

  /**
   * Send `entry` and return the store's answer, or keep it in the outbox and return
   * {@link outboxed}. Throws what the store throws when it refuses the entry as invalid (or,
   * without `keepRefused`, anything but the store failing to open).
   */
  async write(entry: OutboxEntry): Promise<unknown> {
    if (this.#waiting() > 0) {
      if (this.#draining === undefined && this.#due()) await this.#drain()
      if (this.#waiting() > 0) {
        this.#keep(entry)
        return outboxed
      }
    }
    let store: MetadataStore
    try {
      store = await this.store()
    } catch (error) {
      this.#backOff()
      this.#keep(entry, error, 'open')
      return outboxed
    }
    try {
      return await sendOutboxEntry(store, entry)
    } catch (error) {
      if (!this.#config.keepRefused || isInvalid(error)) throw error
      this.#backOff()
      this.#keep(entry, error, 'send')
      return outboxed
    }
  }

  /**
   * Send what waits in the outbox if the back-off allows it now (or, with `last`, in any
   * case: the process is about to end); true when nothing is left. Never waits out a
   * back-off: what stays is sent later, or by a later process.
   */
  async settle(options: { last?: boolean } = {}): Promise<boolean> {
    if (this.#draining !== undefined) await this.#draining
    else if (this.#waiting() > 0 && (options.last === true || this.#due()))
      await this.#drain()
    return this.#waiting() === 0
  }

  /** Stop the retry timer (the outbox keeps its entries for a later process). */
  close(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer)
    this.#timer = undefined
  }

  /**
   * Entries waiting, or 0 when the outbox file cannot be read (not a database, no access):
   * a broken outbox must not stop writes to a store that takes them.
   */
  #waiting(): number {
    try {
      return this.#outbox.pending(this.#key)
    } catch {
      return 0
    }
  }

  #due(): boolean {
    return Date.now() >= this.#nextAttempt
  }

  #keep(entry: OutboxEntry, error?: unknown, why?: 'open' | 'send'): void {
    this.#outbox.append(this.#key, entry, error)
    if (!this.#told) {
      this.#told = true
      const cause = error === undefined ? '' : ` (${messageOf(error)})`
      const what =
        why === 'open'
          ? `cannot open the store ${this.#key}${cause}`
          : `the store ${this.#key} cannot take records now${cause}`
      this.#warn(
        `${what}; keeping records in the outbox ${this.#outbox.path} and sending them once it answers (see them with: lore outbox list)`,
        { why: why ?? 'send', error },
      )
    }
    this.#schedule()
  }

  #drain(): Promise<void> {
    this.#draining ??= (async () => {
      try {
        const store = await this.store()
        const result = await this.#outbox.drain(
          this.#key,
          (entry) => sendOutboxEntry(store, entry),
          {
            isInvalid,
            onDeadLetter: (record: OutboxRecord) => {
              this.#warn(
                `${this.#key} refused a kept ${record.operation} as invalid (${record.reason ?? record.code ?? 'no reason given'}); it was moved to the dead-letter table of ${this.#outbox.path} as entry ${record.id} (lore outbox list, retry or drop)`,
              )
            },
          },
        )
        if (result.busy) this.#backOff()
        else this.#delayMs = this.#config.minRetryDelayMs
      } catch {
        // The entry and those after it wait; its reason is in the outbox (lore outbox list).
        this.#backOff()
      } finally {
        this.#draining = undefined
      }
    })()
    return this.#draining
  }

  #backOff(): void {
    this.#nextAttempt = Date.now() + this.#delayMs
    this.#delayMs = Math.min(this.#delayMs * 2, this.#config.maxRetryDelayMs)
  }

  #schedule(): void {
    if (this.#timer !== undefined) return
    const delay = Math.max(0, this.#nextAttempt - Date.now())
    // Unref'd: the process may end with entries kept; a later process sends them.
    this.#timer = setTimeout(() => {
      this.#timer = undefined
      void this.#drain()
        .catch(() => undefined)
        .then(() => {
          if (this.#waiting() > 0) this.#schedule()
        })
    }, delay)
    this.#timer.unref()
  }
}
