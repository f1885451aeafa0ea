import { existsSync } from 'node:fs'
import { constants, tmpdir, userInfo } from 'node:os'
import { join } from 'node:path'
import { Worker } from 'node:worker_threads'

/**
 * The socket the tsx command line listens on for its child (tsx 4: `<tmpdir>/tsx-<uid>/<pid
 * of tsx>.pipe`), or undefined when this process was not started by `tsx script.ts`.
 */
export function tsxParentPipe(): string | undefined {
  if (process.platform === 'win32') return undefined
  const user = process.geteuid?.() ?? userInfo().username
  const pipe = join(tmpdir(), `tsx-${user}`, `${process.ppid}.pipe`)
  return existsSync(pipe) ? pipe : undefined
}

// Runs in its own thread, so it answers while the main thread is busy in a synchronous step.
// It tells tsx what tsx's own preload tells it from the main thread: "I received <signal>".
const relaySource = `
const { workerData } = require('node:worker_threads')
const { createConnection } = require('node:net')
process.noDeprecation = true
let Signal
try {
  Signal = process.binding('signal_wrap').Signal
} catch {
  Signal = undefined
}
if (Signal !== undefined) {
  const socket = createConnection(workerData.pipe)
  socket.on('error', () => undefined)
  const send = (signal) => {
    const body = Buffer.from(JSON.stringify({ type: 'signal', signal }))
    const head = Buffer.alloc(4)
    head.writeInt32BE(body.length, 0)
    socket.write(Buffer.concat([head, body]))
  }
  let answered = false
  for (const [name, number] of workerData.signals) {
    const handle = new Signal()
    // tsx listens for the answer in a 30 ms window that opens when its own handler runs,
    // which may be after this thread answered: answer across the window. Only the first
    // signal: at a second Ctrl-C (a step that never returns) tsx ends the child, as before.
    handle.onsignal = () => {
      if (answered) return
      answered = true
      for (const delay of [2, 10, 20]) setTimeout(() => send(name), delay)
    }
    handle.start(number)
  }
}
`

let relay: Worker | undefined

/** True while the relay runs: a signal re-raised in this process then does not end it. */
export function tsxSignalRelayActive(): boolean {
  return relay !== undefined
}

/**
 * Under `tsx script.ts`, tell tsx from a thread of its own that a SIGINT or SIGTERM arrived.
 *
 * Why: tsx relays a signal to its child, waits 30 ms for the child's preload to say it got
 * it, sends it again, waits 30 ms more, then kills the child with SIGKILL. A child whose main
 * thread is inside a long synchronous step cannot say so in time, so Ctrl-C during such a
 * step used to lose the run's last records and leave it RUNNING. Answered from another
 * thread, tsx lets the child finish the step, record the run as CANCELED and end by the
 * signal, as it does under plain node. Only the first signal is answered: a second Ctrl-C
 * (say, a step that never returns) lets tsx end the child as it always did. Does nothing
 * outside tsx, or where Node has no signal binding for threads.
 *
 * @example
 * startTsxSignalRelay() // at the first run, before any step
 */
export function startTsxSignalRelay(): void {
  if (relay !== undefined) return
  const pipe = tsxParentPipe()
  if (pipe === undefined) return
  try {
    relay = new Worker(relaySource, {
      eval: true,
      // The relay needs no TypeScript: keep tsx's loader out of its thread.
      execArgv: [],
      env: {},
      stdout: true,
      stderr: true,
      workerData: {
        pipe,
        signals: [
          ['SIGINT', constants.signals.SIGINT],
          ['SIGTERM', constants.signals.SIGTERM],
        ],
      },
    })
    relay.on('error', () => undefined)
    relay.unref()
  } catch {
    relay = undefined
  }
}
