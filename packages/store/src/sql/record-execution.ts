import type { z } from 'zod'
import type {
  putExecutionRequestSchema,
  PutExecutionResult,
} from '../request-schemas.js'
import type { Connection } from './dialect.js'
import { LoreError } from '../lore-error.js'
import {
  eventKey,
  eventRow,
  noEdges,
  requireRows,
  storedEventKeys,
} from './link-writer.js'
import type { OnExisting } from './node-writer.js'
import { nodeTables } from './node-tables.js'
import {
  isReference,
  NodePlacer,
  idOf,
  type BatchWriters,
  type Slot,
} from './node-placer.js'

type ValidRequest = z.output<typeof putExecutionRequestSchema>

const mode = (reuse: boolean | undefined): OnExisting =>
  reuse === true ? 'reuse' : 'fail'

/**
 * Write `putExecution` requests inside one transaction: per request, its contexts, the
 * execution, its artifacts, the events between them and the context links.
 *
 * Nodes given by id alone are checked with one query per batch rather than one per use, since
 * a pipeline's step records mostly point at artifacts that already exist. A new node whose key
 * is taken (an externalId, a context's type and name) is ALREADY_EXISTS unless the request's
 * options ask to reuse it, as MLMD's do; with them, a retried request writes nothing twice.
 */
export async function recordExecutions(
  connection: Connection,
  writers: BatchWriters,
  requests: { request: ValidRequest; field: string }[],
  now: number,
): Promise<PutExecutionResult[]> {
  const referencedArtifacts: { id: number; field: string }[] = []
  const referencedContexts: { id: number; field: string }[] = []
  for (const { request, field } of requests) {
    request.artifactEventPairs.forEach(({ artifact }, index) => {
      if (isReference(artifact)) {
        referencedArtifacts.push({
          id: artifact.id,
          field: `${field}.artifactEventPairs[${index}].artifact.id`,
        })
      }
    })
    request.contexts.forEach((context, index) => {
      if (isReference(context)) {
        referencedContexts.push({
          id: context.id,
          field: `${field}.contexts[${index}].id`,
        })
      }
    })
  }
  await requireRows(connection, 'artifact', referencedArtifacts)
  await requireRows(connection, 'context', referencedContexts)

  const placer = new NodePlacer(connection, writers, now)
  await placer.findKeys(requests)
  const placed: { contexts: Slot[]; execution: Slot; artifacts: Slot[] }[] = []
  for (const { request, field } of requests) {
    const options = request.options ?? {}
    const contexts: Slot[] = []
    for (let index = 0; index < request.contexts.length; index++) {
      contexts.push(
        await placer.place(
          nodeTables.context,
          request.contexts[index]!,
          `${field}.contexts[${index}]`,
          mode(options.reuseContextIfAlreadyExist),
        ),
      )
    }
    const execution = await placer.place(
      nodeTables.execution,
      request.execution,
      `${field}.execution`,
      mode(options.reuseExecutionIfAlreadyExistByExternalId),
    )
    const artifacts: Slot[] = []
    const pairs = request.artifactEventPairs
    for (let index = 0; index < pairs.length; index++) {
      artifacts.push(
        await placer.place(
          nodeTables.artifact,
          pairs[index]!.artifact,
          `${field}.artifactEventPairs[${index}].artifact`,
          mode(options.reuseArtifactIfAlreadyExistByExternalId),
        ),
      )
    }
    placed.push({ contexts, execution, artifacts })
  }
  await placer.insertPending()

  const results: PutExecutionResult[] = []
  const edges = noEdges()
  // Events are unique by artifact, execution and type. A record that reused its execution
  // (a retried or re-sent step record) skips the events that execution already has.
  const written = await storedEventKeys(
    connection,
    placed
      .filter((slots) => slots.execution.reused)
      .map((slots) => idOf(slots.execution)),
  )
  for (const [requestIndex, { request, field }] of requests.entries()) {
    const slots = placed[requestIndex]!
    const contextIds = slots.contexts.map(idOf)
    const executionId = idOf(slots.execution)
    const artifactIds = slots.artifacts.map(idOf)
    const pairs = request.artifactEventPairs
    for (let index = 0; index < pairs.length; index++) {
      const event = pairs[index]!.event
      const artifactId = artifactIds[index]!
      if (event !== undefined) {
        const key = eventKey({ artifactId, executionId, type: event.type })
        if (written.has(key) && slots.execution.reused !== true) {
          throw new LoreError(
            'ALREADY_EXISTS',
            `${field}.artifactEventPairs[${index}].event: the execution already has an ${event.type} event with artifact ${artifactId}; an event is unique by artifact, execution and type`,
            {
              details: {
                field: `${field}.artifactEventPairs[${index}].event`,
                artifactId,
                executionId,
                type: event.type,
              },
            },
          )
        }
        if (!written.has(key)) {
          written.add(key)
          const time = event.millisecondsSinceEpoch ?? now
          edges.event.push(
            eventRow(
              { artifactId, executionId, type: event.type, path: event.path },
              time,
            ),
          )
        }
      }
      for (const contextId of contextIds) {
        edges.attribution.push([contextId, artifactId])
      }
    }
    for (const contextId of contextIds) {
      edges.association.push([contextId, executionId])
    }
    results.push({ executionId, artifactIds, contextIds })
  }
  await writers.links.insertAll(connection, edges)
  return results
}
