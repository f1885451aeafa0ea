import {
  uniqueNodeName,
  type Association,
  type EventInput,
  type ExecutionInput,
  type MetadataStore,
} from '@lore/store'
import type { AliasAction } from './alias-move.js'

/** Who moved an alias and why, and what else the move belongs to. */
export interface MoveOptions {
  /** Who or what moves it. @default `LORE_ACTOR`, else the OS user name */
  actor?: string
  /** Why, in a sentence: shown by `lore models history`. */
  reason?: string
  /** The policy that decided the move, if any. */
  policy?: string
  /** The incident the move belongs to, if any (`INC-3`). */
  incident?: string
  /** Artifacts the decision rests on (an evaluation, a watch report): inputs of the move. */
  evidenceArtifactIds?: readonly number[]
  /** More contexts to associate the move with (an incident's context). */
  contextIds?: readonly number[]
  /**
   * Promote a version whose model file changed since it was registered (or is gone). Refused
   * without a `reason`; the move records the file's check and the reason.
   * @default false
   */
  force?: boolean
}

/** What a forced promotion found when it re-hashed the version's model file. */
export interface ForcedFileCheck {
  path: string
  status: 'changed' | 'missing'
  recorded: string | undefined
  current: string | undefined
}

/** One alias move about to be written. */
export interface PlannedMove {
  model: string
  modelContextId: number
  alias: string
  action: AliasAction
  sequence: number
  from?: { version: number; artifactId: number }
  to: { version: number; artifactId: number }
  actor: string
}

/**
 * Write an alias move as a `Deploy` execution. The execution is put first, under the external
 * id `deploy:<model>:<alias>:<sequence>`, which the store keeps unique: if another process
 * moved the alias in between, this throws `ALREADY_EXISTS` and nothing is written, so the
 * caller can read the history again and retry. Then its inputs (the versions, the evidence)
 * and its contexts are linked.
 *
 * @example
 * const executionId = await recordAliasMove(store, planned, { reason: 'beats v2 by 0.03' })
 */
export async function recordAliasMove(
  store: MetadataStore,
  move: PlannedMove,
  options: MoveOptions,
  forced?: ForcedFileCheck,
): Promise<number> {
  const now = Date.now()
  const properties: NonNullable<ExecutionInput['properties']> = {
    model: move.model,
    alias: move.alias,
    action: move.action,
    sequence: move.sequence,
    toVersion: move.to.version,
    actor: move.actor,
  }
  if (move.from !== undefined) properties.fromVersion = move.from.version
  if (options.reason !== undefined) properties.reason = options.reason
  if (options.policy !== undefined) properties.policy = options.policy
  if (options.incident !== undefined) properties.incident = options.incident
  const fromText = move.from === undefined ? '' : `v${move.from.version} → `
  const externalId = `deploy:${move.model}:${move.alias}:${move.sequence}`
  const [executionId] = await store.putExecutions([
    {
      type: 'Deploy',
      externalId,
      // Names are unique within a type: the same move made twice gets a name of its own.
      name: uniqueNodeName(
        `${move.action === 'rollback' ? 'rollback' : 'promote'} ${move.model}@${move.alias}: ${fromText}v${move.to.version}`,
        externalId,
      ),
      lastKnownState: 'COMPLETE',
      startTimeSinceEpoch: now,
      endTimeSinceEpoch: now,
      properties,
      ...(forced === undefined
        ? {}
        : {
            customProperties: {
              forced: {
                reason: options.reason ?? '',
                path: forced.path,
                status: forced.status,
                ...(forced.recorded === undefined
                  ? {}
                  : { recorded: forced.recorded }),
                ...(forced.current === undefined
                  ? {}
                  : { current: forced.current }),
              },
            },
          }),
    },
  ])
  if (executionId === undefined) throw new Error('the store returned no id')
  const events: EventInput[] = [
    {
      artifactId: move.to.artifactId,
      executionId,
      type: 'INPUT',
      path: ['inputs', 'to'],
      millisecondsSinceEpoch: now,
    },
  ]
  if (move.from !== undefined && move.from.artifactId !== move.to.artifactId)
    events.push({
      artifactId: move.from.artifactId,
      executionId,
      type: 'INPUT',
      path: ['inputs', 'from'],
      millisecondsSinceEpoch: now,
    })
  for (const [index, artifactId] of (
    options.evidenceArtifactIds ?? []
  ).entries())
    events.push({
      artifactId,
      executionId,
      type: 'INPUT',
      path: ['inputs', 'evidence', index],
      millisecondsSinceEpoch: now,
    })
  await store.putEvents(events)
  const associations: Association[] = [
    move.modelContextId,
    ...(options.contextIds ?? []),
  ].map((contextId) => ({ contextId, executionId }))
  await store.putAttributionsAndAssociations([], associations)
  return executionId
}
