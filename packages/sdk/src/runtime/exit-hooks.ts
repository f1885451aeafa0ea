import { constants } from 'node:os'
import {
  startTsxSignalRelay,
  tsxSignalRelayActive,
} from './tsx-signal-relay.js'

/**
 * What the exit hooks flush: the recorder, seen through the little it must do when the
 * process is about to end.
 */
export interface Flushable {
  /** True when records are waiting or being written. */
  readonly busy: boolean
  /** Write everything queued. */
  flush(): Promise<void>
  /** Record the runs in progress as CANCELED (the process received `signal`) and write them. */
  interrupt(signal: string): Promise<void>
  /** At process exit: say on stderr what was lost and not yet said. */
  reportOnExit(): void
  /**
   * Once, when the process has nothing left to do: a last attempt at what waits for the
   * store (the outbox), whatever its back-off. Returns true when it started work.
   */
  lastAttempt?(): boolean
}

/** How long a signal waits for the last writes before the process ends anyway. */
const signalFlushLimitMs = 5000

const recorders = new Set<Flushable>()
const beforeExitHandlers = new Set<() => void>()
let installed = false
let handlingSignal = false

function onBeforeExit(): void {
  for (const handler of beforeExitHandlers) handler()
  for (const recorder of recorders) {
    // Only when there is work: the writes re-fill the event loop, and beforeExit comes
    // again once they are done, when this finds nothing to do.
    if (recorder.busy) recorder.flush().catch(() => undefined)
    else recorder.lastAttempt?.()
  }
}

/** Alone, Lore's listener stopped the default action: remove it and raise the signal again. */
function endAsItWouldHave(signal: NodeJS.Signals): void {
  // With other listeners, theirs decide what the signal does.
  if (process.listenerCount(signal) !== 1) return
  process.removeListener(signal, onSignal)
  // The relay's thread still handles the signal, so raising it again would not end the
  // process: end it as tsx's own preload does for a signal nobody handles.
  if (tsxSignalRelayActive()) process.exit(128 + constants.signals[signal])
  process.kill(process.pid, signal)
}

function onSignal(signal: NodeJS.Signals): void {
  // A second Ctrl-C while writing means: stop now.
  if (handlingSignal) {
    endAsItWouldHave(signal)
    return
  }
  handlingSignal = true
  const finish = (): void => {
    clearTimeout(timer)
    if (!handlingSignal) return
    handlingSignal = false
    endAsItWouldHave(signal)
  }
  const timer = setTimeout(finish, signalFlushLimitMs)
  void Promise.allSettled(
    [...recorders].map((recorder) => recorder.interrupt(signal)),
  ).then(finish)
}

function onExit(): void {
  for (const recorder of recorders) recorder.reportOnExit()
}

/**
 * Make the process flush `recorder` at `beforeExit` and on SIGINT/SIGTERM, and report what
 * was lost at exit. Installed once per process; never calls `process.exit`.
 */
export function registerRecorder(recorder: Flushable): void {
  recorders.add(recorder)
  if (installed) return
  installed = true
  process.on('beforeExit', onBeforeExit)
  process.on('SIGINT', onSignal)
  process.on('SIGTERM', onSignal)
  process.on('exit', onExit)
  startTsxSignalRelay()
}

/** Stop flushing `recorder` at exit (it was closed). */
export function unregisterRecorder(recorder: Flushable): void {
  recorders.delete(recorder)
}

/** Run `handler` at every `beforeExit`, before the recorders flush (ends ad-hoc runs). */
export function onBeforeExitHook(handler: () => void): void {
  beforeExitHandlers.add(handler)
}

/** The recorders the process flushes at exit. */
export function registeredRecorders(): Flushable[] {
  return [...recorders]
}
