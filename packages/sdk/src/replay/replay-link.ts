import type { JsonValue } from '../capture/json-value.js'
import type { ReusePlan } from '../cache/run-cache.js'
import { replayProperty } from '../core/replay-info.js'
import type { RunState } from '../core/run-state.js'

/** How a run replays another: recorded with the run as its `replay` property. */
export interface ReplayLink {
  /** The id of the run replayed (`replayOf`). */
  readonly of: string
  /** False when config values were overridden (`--set`): the replay is not the same run. */
  readonly faithful: boolean
  /** The overridden config values, by dotted path. */
  readonly overrides: Readonly<Record<string, JsonValue>>
  /** `--from`: the step from which steps ran again; earlier ones reused the original's outputs. */
  readonly from?: string
  /** The original's executions to reuse before `from` (not recorded). */
  readonly reuse?: ReusePlan
}

/** Remember that `run` replays another run (a field of the run, read by its record). */
export function setReplayLink(run: RunState, link: ReplayLink): void {
  run.replay = link
}

/**
 * The `replay` property of a run's record: `{ replayOf, faithful, overrides, from? }`, or
 * undefined for a run that is not a replay.
 *
 * @example
 * replayLinkOf(run) // { replayOf: '8d74…', faithful: true, overrides: {} }
 */
export function replayLinkOf(run: RunState): JsonValue | undefined {
  return replayProperty(run.replay)
}
