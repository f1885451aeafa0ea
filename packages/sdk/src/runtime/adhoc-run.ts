import { randomInt } from 'node:crypto'
import { basename } from 'node:path'
import { RunState } from '../core/run-state.js'
import { onBeforeExitHook } from './exit-hooks.js'
import { SinkProviders } from './sink-provider.js'

let current: RunState | undefined

function scriptName(): string {
  const script = process.argv[1]
  return script === undefined ? 'node' : basename(script)
}

function end(run: RunState): Promise<void> {
  if (run.status !== 'RUNNING') return Promise.resolve()
  run.finish()
  return run.recorder.endRun(run)
}

/**
 * The run that steps called outside any pipeline join: one per process (and store), named
 * after the script, ended (COMPLETE, or FAILED if a step failed) when the process is about to
 * exit, and reopened if steps are called after that.
 *
 * @example
 * adhocRun().context.runId
 */
export function adhocRun(): RunState {
  const recorder = SinkProviders.sinkFor()
  if (
    current !== undefined &&
    current.recorder === recorder &&
    !recorder.closed
  ) {
    if (current.status !== 'RUNNING') {
      current.status = 'RUNNING'
      current.endedAt = undefined
      recorder.reopenRun(current)
    }
    return current
  }
  if (current !== undefined) end(current).catch(() => undefined)
  current = new RunState({
    pipeline: { name: `(ad hoc) ${scriptName()}`, file: process.argv[1] },
    recorder,
    config: {},
    seed: randomInt(2 ** 31),
    adhoc: true,
  })
  recorder.startRun(current)
  return current
}

/** End the ad-hoc run, if one is open, and write it. */
export async function endAdhocRun(): Promise<void> {
  const run = current
  current = undefined
  if (run !== undefined) await end(run)
}

onBeforeExitHook(() => {
  if (current?.status === 'RUNNING') end(current).catch(() => undefined)
})
