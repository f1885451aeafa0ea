import type { RunState } from '../core/run-state.js'
import { recorderFor } from '../recorder/recorder-registry.js'
import type { CliIo } from './cli-io.js'

/** Options of {@link showRunProgress}. */
export interface RunProgressOptions {
  /** How often the line is redrawn (often enough to catch short steps). @default 100 */
  intervalMs?: number
}

const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`

/**
 * While a pipeline runs in this process (`lore run`, `lore replay`), redraw one stderr line:
 * the step running now, the steps done and the time since the run started. Only when stderr
 * is a terminal (`io.interactive`); otherwise nothing is written, so logs and pipes stay
 * clean. Returns the function that stops it and clears the line.
 *
 * @example
 * const stop = showRunProgress(io, 'sqlite:.lore/lore.db', 'iris')
 * try { await pipeline.run(config) } finally { stop() }
 */
export function showRunProgress(
  io: CliIo,
  store: string,
  label: string,
  options: RunProgressOptions = {},
): () => void {
  if (!io.interactive) return () => undefined
  const recorder = recorderFor(store)
  const started = Date.now()
  let run: RunState | undefined
  const draw = (): void => {
    // The run this command started: the first one that appears after it began.
    run ??= [...recorder.activeRuns].find(
      (candidate) => candidate.startedAt >= started - 1000,
    )
    let current: string | undefined
    // The newest call in flight: the innermost step running now.
    for (const call of run?.inFlight ?? []) current = call.step.name
    const done = run?.settledSteps ?? 0
    const now =
      current !== undefined
        ? `step ${current}`
        : run === undefined
          ? 'starting'
          : run.status === 'RUNNING'
            ? 'running'
            : 'recording'
    io.stderr(
      `\r\u001b[K${label}: ${now} · ${done} step${done === 1 ? '' : 's'} done · ${seconds(Date.now() - started)}`,
    )
  }
  draw()
  const timer = setInterval(draw, options.intervalMs ?? 100)
  timer.unref()
  return () => {
    clearInterval(timer)
    io.stderr('\r\u001b[K')
  }
}
