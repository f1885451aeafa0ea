import { openStore } from '@lore/store'
import { defaultStoreLocation } from './store-url.js'
import { defaultOutboxLocation } from '../outbox/outbox-location.js'
import { Outbox, type DrainResult } from '../outbox/outbox.js'
import { sendOutboxEntry } from '../outbox/send-outbox-entry.js'
import { isInvalid } from '../outbox/outbox-gate.js'

/** Options of {@link drainOutbox}. */
export interface DrainOutboxOptions {
  /**
   * The store server whose kept writes to send.
   * @default `LORE_STORE`
   */
  store?: string
  /** @default `LORE_TOKEN` */
  token?: string
  /**
   * The outbox file.
   * @default `LORE_OUTBOX`, else `.lore/outbox.db`
   */
  outbox?: string
}

/**
 * Send every write kept in the outbox for a store server, oldest first, and resolve with how
 * many were sent (`busy` when another process is sending them right now). A recorder does
 * this by itself on its first write to that server; call it from a job that records nothing,
 * such as a cron entry after an outage. An entry the store refuses as invalid moves to the
 * outbox's dead-letter table (`lore outbox list`); rejects with the store's error, keeping
 * that entry and those after it, when the store refuses in a way that may pass later (down,
 * 5xx, 401/403, 429).
 *
 * @example
 * const { sent } = await drainOutbox({ store: 'http://lore.internal:4700' })
 */
export async function drainOutbox(
  options: DrainOutboxOptions = {},
): Promise<DrainResult> {
  const url = options.store ?? defaultStoreLocation()
  const outbox = new Outbox(options.outbox ?? defaultOutboxLocation())
  const store = await openStore(
    url,
    options.token === undefined ? {} : { token: options.token },
  )
  try {
    return await outbox.drain(url, (entry) => sendOutboxEntry(store, entry), {
      isInvalid,
    })
  } finally {
    outbox.close()
    await store.close()
  }
}
