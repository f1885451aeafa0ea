import type { Execution } from '@lore/store'

/** What moved an alias: a `set` (promote), or a `rollback` to the holder before. */
export type AliasAction = 'set' | 'rollback'

/** One move of an alias, read back from its `Deploy` execution. Moves are never edited. */
export interface AliasMove {
  model: string
  alias: string
  action: AliasAction
  /** 1 for the alias's first move, then 2, 3… */
  sequence: number
  /** The version that held the alias before; absent for its first move. */
  fromVersion?: number
  toVersion: number
  /** Who or what moved it: a user name, `policy:<name>`. */
  actor: string
  reason?: string
  policy?: string
  incident?: string
  /**
   * Set when the version was promoted with `force` although its model file had changed (or
   * was gone) since it was registered: what the check found.
   */
  forced?: { status: string; path: string }
  /** When, in milliseconds since the epoch. */
  time: number
  /** The `Deploy` execution that records the move. */
  executionId: number
}

const text = (value: unknown): string | undefined =>
  typeof value === 'string' ? value : undefined
const number = (value: unknown): number | undefined =>
  typeof value === 'number' ? value : undefined

/** The move a `Deploy` execution records, or undefined for a `Deploy` step of a pipeline. */
export function toAliasMove(execution: Execution): AliasMove | undefined {
  const properties = execution.properties
  const model = text(properties.model)
  const alias = text(properties.alias)
  const toVersion = number(properties.toVersion)
  const sequence = number(properties.sequence)
  if (
    model === undefined ||
    alias === undefined ||
    toVersion === undefined ||
    sequence === undefined
  )
    return undefined
  const move: AliasMove = {
    model,
    alias,
    action: properties.action === 'rollback' ? 'rollback' : 'set',
    sequence,
    toVersion,
    actor: text(properties.actor) ?? 'unknown',
    time: execution.startTimeSinceEpoch ?? execution.createTimeSinceEpoch,
    executionId: execution.id,
  }
  const fromVersion = number(properties.fromVersion)
  if (fromVersion !== undefined) move.fromVersion = fromVersion
  for (const key of ['reason', 'policy', 'incident'] as const) {
    const value = text(properties[key])
    if (value !== undefined) move[key] = value
  }
  const forced = execution.customProperties.forced
  if (typeof forced === 'object' && forced !== null && !Array.isArray(forced))
    move.forced = { status: String(forced.status), path: String(forced.path) }
  return move
}

/** The state of one alias after replaying its moves: its holder and the holders to roll back to. */
export interface AliasState {
  alias: string
  /** The version holding the alias now. */
  version: number
  /** Earlier holders, oldest first: `rollback` returns to the last one. */
  previous: number[]
  lastMove: AliasMove
}

/**
 * Replay moves (in sequence order) into each alias's state. A `set` pushes the new holder; a
 * `rollback` pops the current one, so rolling back twice undoes two promotions.
 *
 * @example
 * replayAliases(moves).get('production')?.version // 2
 */
export function replayAliases(
  moves: readonly AliasMove[],
): Map<string, AliasState> {
  const stacks = new Map<string, { stack: number[]; last: AliasMove }>()
  for (const move of moves) {
    const entry = stacks.get(move.alias) ?? { stack: [], last: move }
    if (move.action === 'rollback') entry.stack.pop()
    if (entry.stack.at(-1) !== move.toVersion) entry.stack.push(move.toVersion)
    entry.last = move
    stacks.set(move.alias, entry)
  }
  const states = new Map<string, AliasState>()
  for (const [alias, { stack, last }] of stacks) {
    states.set(alias, {
      alias,
      version: last.toVersion,
      previous: stack.slice(0, -1),
      lastMove: last,
    })
  }
  return states
}

/** Each alias and the version holding it. */
export function aliasMap(
  states: Map<string, AliasState>,
): Record<string, number> {
  return Object.fromEntries(
    [...states.values()].map((state) => [state.alias, state.version]),
  )
}

/** The aliases `version` holds, sorted. */
export function aliasesHeldBy(
  states: Map<string, AliasState>,
  version: number,
): string[] {
  return [...states.values()]
    .filter((state) => state.version === version)
    .map((state) => state.alias)
    .sort()
}
