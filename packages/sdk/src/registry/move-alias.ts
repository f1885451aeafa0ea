import { LoreError, type Context, type MetadataStore } from '@lore/store'
import {
  replayAliases,
  toAliasMove,
  type AliasAction,
  type AliasMove,
  type AliasState,
} from './alias-move.js'
import {
  recordAliasMove,
  type ForcedFileCheck,
  type MoveOptions,
} from './record-alias-move.js'
import { requireVersionContext } from './registry-lookups.js'
import { aliasMoves } from './registry-reads.js'

/** What to do with an alias given its state: move it, or leave it (undefined). */
export type MoveDecision = (
  state: AliasState | undefined,
) => { action: AliasAction; to: number } | undefined

/** The alias to move and who moves it. */
export interface MoveTarget {
  model: string
  modelContext: Context
  alias: string
  actor: string
  location: string
}

/** How many times a move is tried when other processes keep moving the alias first. */
const maxMoveAttempts = 10

const artifactIdOf = (context: Context): number =>
  Number(context.properties.artifactId)

/**
 * Read an alias's moves, decide, and record the move — again from the top if another process
 * recorded a move of the same alias in between (the store refuses the second move with the
 * same sequence number), so every move starts from the holder the one before left. A
 * decision to leave the alias returns its last move; one that throws (a rollback with no
 * earlier holder) throws.
 *
 * @example
 * const move = await moveAlias(store, target, {}, () => ({ action: 'set', to: 3 }))
 */
export async function moveAlias(
  store: MetadataStore,
  target: MoveTarget,
  options: MoveOptions,
  decide: MoveDecision,
  forced?: ForcedFileCheck,
): Promise<AliasMove> {
  const { model, alias, location } = target
  for (let attempt = 0; attempt < maxMoveAttempts; attempt++) {
    const state = replayAliases(await aliasMoves(store, model)).get(alias)
    const decision = decide(state)
    if (decision === undefined) {
      if (state !== undefined) return state.lastMove
      break
    }
    const to = await requireVersionContext(store, model, decision.to, location)
    const from =
      state === undefined
        ? undefined
        : await requireVersionContext(store, model, state.version, location)
    let executionId: number
    try {
      executionId = await recordAliasMove(
        store,
        {
          model,
          modelContextId: target.modelContext.id,
          alias,
          action: decision.action,
          sequence: (state?.lastMove.sequence ?? 0) + 1,
          to: { version: decision.to, artifactId: artifactIdOf(to) },
          ...(state === undefined || from === undefined
            ? {}
            : {
                from: {
                  version: state.version,
                  artifactId: artifactIdOf(from),
                },
              }),
          actor: target.actor,
        },
        options,
        forced,
      )
    } catch (error) {
      // Another process moved the alias since we read it: read again, decide again.
      if (LoreError.isInstance(error) && error.code === 'ALREADY_EXISTS')
        continue
      throw error
    }
    const [execution] = (
      await store.getExecutions({ ids: [executionId], limit: 1 })
    ).items
    const move = execution === undefined ? undefined : toAliasMove(execution)
    if (move !== undefined) return move
  }
  throw new LoreError(
    'ABORTED',
    `alias '${alias}' of model '${model}' kept being moved by others while this move was tried ${maxMoveAttempts} times; try again`,
    { details: { model, alias } },
  )
}
