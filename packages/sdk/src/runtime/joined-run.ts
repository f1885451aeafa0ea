import { randomInt } from 'node:crypto'
import type { RunFrame } from '../core/run-frame.js'
import { RunState } from '../core/run-state.js'
import { parseRunLink, runLinkVariable, type RunLink } from './run-link.js'
import { SinkProviders } from './sink-provider.js'

// The frame LORE_PARENT names, parsed once per process (and again if the variable changes).
let inherited: { text: string; frame: RunFrame } | undefined

/**
 * A run of another process that this process's steps join: its records name the run's
 * context by its id (external id), and this process never writes the run's own record —
 * status, heartbeat, end — which stays its owner's.
 */
export function joinRun(link: RunLink): RunState {
  const run = new RunState({
    pipeline: { name: link.pipeline },
    recorder: SinkProviders.sinkFor(link.store),
    config: {},
    seed: link.seed ?? randomInt(2 ** 31),
    adhoc: false,
    runId: link.runId,
    joined: true,
  })
  return run
}

/**
 * The frame that steps called outside any run start from: the run and parent step named by
 * `LORE_PARENT`, when it is set, else undefined (they join the ad-hoc run).
 */
export function inheritedFrame(
  environment: NodeJS.ProcessEnv = process.env,
): RunFrame | undefined {
  const text = environment[runLinkVariable]
  if (!text) return undefined
  if (inherited?.text === text && !inherited.frame.run.recorder.closed)
    return inherited.frame
  const link = parseRunLink(text)
  inherited = {
    text,
    frame: { run: joinRun(link), parentId: link.parentId },
  }
  return inherited.frame
}
