import type { JsonValue } from '../capture/json-value.js'

/** How a run replays another, as far as its record is concerned. */
export interface ReplayInfo {
  /** The id of the run replayed (`replayOf`). */
  readonly of: string
  /** False when config values were overridden (`--set`): the replay is not the same run. */
  readonly faithful: boolean
  /** The overridden config values, by dotted path. */
  readonly overrides: Readonly<Record<string, JsonValue>>
  /** `--from`: the step from which steps ran again; earlier ones reused the original's outputs. */
  readonly from?: string | undefined
}

/**
 * The `replay` property of a run's record: `{ replayOf, faithful, overrides, from? }`, or
 * undefined for a run that is not a replay.
 *
 * @example
 * replayProperty(run.replay) // { replayOf: '8d74…', faithful: true, overrides: {} }
 */
export function replayProperty(
  info: ReplayInfo | undefined,
): JsonValue | undefined {
  if (info === undefined) return undefined
  const value: Record<string, JsonValue> = {
    replayOf: info.of,
    faithful: info.faithful,
    overrides: { ...info.overrides },
  }
  if (info.from !== undefined) value.from = info.from
  return value
}
