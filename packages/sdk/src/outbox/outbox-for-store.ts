import {
  OutboxGate,
  type OutboxGateOptions,
  type StoreConnector,
} from './outbox-gate.js'
import { defaultOutboxLocation } from './outbox-location.js'
import { Outbox } from './outbox.js'

const outboxes = new Map<string, Outbox>()

/** The process's one {@link Outbox} for the file at `path`. */
export function sharedOutbox(path: string = defaultOutboxLocation()): Outbox {
  let outbox = outboxes.get(path)
  if (outbox === undefined) {
    outbox = new Outbox(path)
    outboxes.set(path, outbox)
  }
  return outbox
}

/**
 * The outbox gate a recorder puts in front of the store at `url`, opened by `connect`: for a
 * store server (`http:`/`https:`) every write that cannot be taken now waits there; for a
 * database or a SQLite file, what is recorded while it cannot be opened. None for
 * `sqlite::memory:` (it always opens, and ends with the process) or when `LORE_OUTBOX` is
 * `off`.
 *
 * @example
 * new StoreWriter(outboxGateFor(url, () => openStore(url)))
 */
export function outboxGateFor(
  url: string,
  connect: StoreConnector,
  environment: NodeJS.ProcessEnv = process.env,
  options: OutboxGateOptions = {},
): OutboxGate | undefined {
  if (url === 'sqlite::memory:' || environment.LORE_OUTBOX === 'off')
    return undefined
  return new OutboxGate(connect, url, sharedOutbox(), {
    keepRefused: /^https?:/i.test(url),
    ...options,
  })
}
