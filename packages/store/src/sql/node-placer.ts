import type { Connection, DialectAdapter } from './dialect.js'
import type { LinkWriter } from './link-writer.js'
import {
  contextNameKey,
  externalIdKey,
  findNodesByKey,
  insertNodes,
  readStoredNodes,
  type FoundNode,
} from './node-batch.js'
import { nodeTables, type NodeEntity, type NodeTable } from './node-tables.js'
import {
  alreadyExists,
  nameTaken,
  type NodeInput,
  type NodeWriter,
  type OnExisting,
  type PreparedNode,
  type StoredNode,
} from './node-writer.js'
import { findTakenNames, typeNameKey } from './taken-names.js'
import type { TypeRegistry } from './type-registry.js'

/** What writing a batch of step records needs. */
export interface BatchWriters {
  nodes: NodeWriter
  links: LinkWriter
  types: TypeRegistry
  adapter: DialectAdapter
}

/** A node's id, known now or once the batch's new nodes are inserted. */
export interface Slot {
  id?: number
  typeId?: number
  /** True when the node was found by its key (stored, or new earlier in the batch). */
  reused?: boolean
}

/** The id of a placed node; every slot has one after {@link NodePlacer.insertPending}. */
export function idOf(slot: Slot): number {
  if (slot.id === undefined)
    throw new Error('a node of the batch was not written')
  return slot.id
}

/**
 * Whether a node named by its key says more than the key (fields or properties to compare
 * with the stored node), so that its stored row is worth reading ahead.
 */
function saysMore(input: NodeInput): boolean {
  for (const key of Object.keys(input)) {
    if (key !== 'externalId' && key !== 'type' && key !== 'typeId') return true
  }
  return false
}

/** A node given by id alone: a link to a stored node, not a write. */
export function isReference(node: object): node is { id: number } {
  const keys = Object.keys(node)
  return keys.length === 1 && keys[0] === 'id'
}

const entities: NodeEntity[] = ['context', 'execution', 'artifact']

/**
 * Places a batch's nodes: reuses the stored ones its keys name, and gathers the new ones to
 * insert many rows a statement, so a batch costs a few round trips per table rather than
 * several per node. Two records naming the same new key get one node: the second updates
 * it once it is inserted, as it would update a stored one.
 *
 * A table whose batch updates nodes by id, or names contexts by external id, is written node
 * by node, since such an update may give a node a key that a later record looks up.
 */
export class NodePlacer {
  readonly #connection: Connection
  readonly #writers: BatchWriters
  readonly #now: number
  readonly #batched = new Set<NodeEntity>()
  readonly #known = new Map<NodeEntity, Map<string, Slot>>()
  /**
   * Rows of the stored nodes the batch names again, read ahead by id; a node's entry goes
   * once a reuse changes it, so a later record compares with what is stored then.
   */
  readonly #stored = new Map<NodeEntity, Map<number, StoredNode>>()
  /** Names taken within their type, stored or new in this batch, by typeNameKey. */
  readonly #takenNames = new Map<NodeEntity, Map<string, number | undefined>>()
  readonly #pending = new Map<
    NodeEntity,
    { nodes: PreparedNode[]; slots: Slot[] }
  >()
  readonly #laterReuses: {
    table: NodeTable
    slot: Slot
    target: Slot
    input: NodeInput
    field: string
  }[] = []

  constructor(connection: Connection, writers: BatchWriters, now: number) {
    this.#connection = connection
    this.#writers = writers
    this.#now = now
  }

  /** Look up the keys the batch's nodes name, one query per table and key. */
  async findKeys(
    requests: {
      request: {
        contexts: object[]
        execution: object
        artifactEventPairs: { artifact: object }[]
      }
      field: string
    }[],
  ): Promise<void> {
    const inputs = new Map<NodeEntity, { input: NodeInput; field: string }[]>(
      entities.map((entity) => [entity, []]),
    )
    for (const { request, field } of requests) {
      request.contexts.forEach((context, index) =>
        inputs.get('context')?.push({
          input: context as NodeInput,
          field: `${field}.contexts[${index}]`,
        }),
      )
      inputs.get('execution')?.push({
        input: request.execution as NodeInput,
        field: `${field}.execution`,
      })
      request.artifactEventPairs.forEach(({ artifact }, index) =>
        inputs.get('artifact')?.push({
          input: artifact as NodeInput,
          field: `${field}.artifactEventPairs[${index}].artifact`,
        }),
      )
    }
    for (const entity of entities) {
      const writes = (inputs.get(entity) ?? []).filter(
        ({ input }) => !isReference(input),
      )
      const nodeByNode = writes.some(
        ({ input }) =>
          input.id !== undefined ||
          (entity === 'context' && input.externalId !== undefined),
      )
      if (nodeByNode || writes.length === 0) continue
      this.#batched.add(entity)
      this.#pending.set(entity, { nodes: [], slots: [] })
      const found: Map<string, FoundNode> = await findNodesByKey(
        this.#connection,
        this.#writers.types,
        this.#writers.adapter,
        nodeTables[entity],
        writes,
      )
      this.#known.set(entity, new Map(found))
      const named = writes.flatMap(({ input }) => {
        const id =
          input.externalId === undefined
            ? undefined
            : found.get(externalIdKey(input.externalId))?.id
        return id !== undefined && saysMore(input) ? [id] : []
      })
      this.#stored.set(
        entity,
        await readStoredNodes(
          this.#connection,
          this.#writers.adapter,
          nodeTables[entity],
          named,
        ),
      )
      if (entity !== 'context') {
        this.#takenNames.set(
          entity,
          await findTakenNames(
            this.#connection,
            this.#writers.types,
            this.#writers.adapter,
            nodeTables[entity],
            writes,
          ),
        )
      }
    }
  }

  /**
   * Place one node of the batch, in the records' order. A node whose key names a stored node,
   * or a new one of an earlier record, is reused when `onExisting` says so and is
   * ALREADY_EXISTS otherwise.
   */
  async place(
    table: NodeTable,
    node: object,
    field: string,
    onExisting: OnExisting,
  ): Promise<Slot> {
    if (isReference(node)) return { id: node.id }
    const input = node as NodeInput
    const { nodes } = this.#writers
    const connection = this.#connection
    if (!this.#batched.has(table.entity)) {
      const outcome: { reused?: boolean } = {}
      const id = await nodes.write(
        connection,
        table,
        input,
        field,
        this.#now,
        onExisting,
        undefined,
        outcome,
      )
      return { id, reused: outcome.reused === true }
    }
    const known = this.#known.get(table.entity) ?? new Map<string, Slot>()
    // Only a context named by type and name needs its type resolved for its key.
    const key =
      input.externalId !== undefined
        ? externalIdKey(input.externalId)
        : table.entity === 'context' && input.name !== undefined
          ? await this.#keyOf(table, input, field)
          : undefined
    const target = key === undefined ? undefined : known.get(key)
    if (target !== undefined && onExisting === 'fail') {
      throw alreadyExists(table, input, field, target.id)
    }
    if (target?.id !== undefined) {
      return {
        id: await this.#reuse(table, target.id, target, input, field),
        reused: true,
      }
    }
    if (target !== undefined) {
      const slot: Slot = { reused: true }
      this.#laterReuses.push({ table, slot, target, input, field })
      return slot
    }
    const prepared = await nodes.prepareInsert(
      connection,
      table,
      input,
      field,
      this.#now,
    )
    const names = this.#takenNames.get(table.entity)
    if (names !== undefined && input.name !== undefined) {
      const nameKey = typeNameKey(prepared.typeId, input.name)
      if (names.has(nameKey))
        throw nameTaken(table, input.name, field, names.get(nameKey))
      names.set(nameKey, undefined)
    }
    const slot: Slot = { typeId: prepared.typeId }
    const pending = this.#pending.get(table.entity)
    pending?.nodes.push(prepared)
    pending?.slots.push(slot)
    if (key !== undefined) known.set(key, slot)
    return slot
  }

  /** Insert the new nodes, then apply the updates of records that named them again. */
  async insertPending(): Promise<void> {
    for (const entity of entities) {
      const pending = this.#pending.get(entity)
      if (pending === undefined || pending.nodes.length === 0) continue
      const ids = await insertNodes(
        this.#connection,
        this.#writers.adapter,
        nodeTables[entity],
        pending.nodes,
      )
      pending.slots.forEach((slot, index) => {
        slot.id = ids[index] ?? Number.NaN
      })
    }
    for (const entity of entities) {
      const later = this.#laterReuses.filter(
        (reuse) => reuse.table.entity === entity && saysMore(reuse.input),
      )
      if (later.length === 0) continue
      const read = await readStoredNodes(
        this.#connection,
        this.#writers.adapter,
        nodeTables[entity],
        later.map((reuse) => idOf(reuse.target)),
      )
      const stored = this.#stored.get(entity) ?? new Map<number, StoredNode>()
      for (const [id, node] of read) stored.set(id, node)
      this.#stored.set(entity, stored)
    }
    for (const { table, slot, target, input, field } of this.#laterReuses) {
      slot.id = await this.#reuse(table, idOf(target), target, input, field)
    }
  }

  /** Reuse a node the batch names again, against its row read ahead when there is one. */
  async #reuse(
    table: NodeTable,
    id: number,
    target: Slot,
    input: NodeInput,
    field: string,
  ): Promise<number> {
    const stored = this.#stored.get(table.entity)
    const outcome: { changed?: boolean } = {}
    await this.#writers.nodes.reuse(
      this.#connection,
      table,
      {
        id,
        ...(target.typeId !== undefined && { typeId: target.typeId }),
        stored: stored?.get(id),
      },
      input,
      field,
      this.#now,
      outcome,
    )
    if (outcome.changed === true) stored?.delete(id)
    return id
  }

  async #keyOf(
    table: NodeTable,
    input: NodeInput,
    field: string,
  ): Promise<string | undefined> {
    if (input.externalId !== undefined) return externalIdKey(input.externalId)
    if (table.entity !== 'context' || input.name === undefined) return undefined
    const type = await this.#writers.types.resolve(
      this.#connection,
      table.typeKind,
      input,
      field,
    )
    return contextNameKey(type.id, input.name)
  }
}
