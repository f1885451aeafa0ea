import { LoreError } from '../lore-error.js'
import type { Properties } from '../record-schemas.js'
import { insertRows } from './bulk-insert.js'
import type { Connection, DialectAdapter, Row } from './dialect.js'
import type { FieldMask } from './field-mask.js'
import type { NodeTable } from './node-tables.js'
import {
  encodeProperties,
  encodePropertyGroup,
  nodeChange,
  type PropertyRowValues,
} from './node-updater.js'
import type { TypeInfo, TypeRegistry } from './type-registry.js'

// 6 parameters a row: 600 stays under every dialect's limit on parameters (SQLite's 999).
const propertyRowsPerStatement = 100

/** A validated node input: the shared fields plus the table's own columns. */
export interface NodeInput {
  id?: number | undefined
  typeId?: number | undefined
  type?: string | undefined
  externalId?: string | undefined
  name?: string | undefined
  properties?: Properties | undefined
  customProperties?: Properties | undefined
  createTimeSinceEpoch?: number | undefined
  lastUpdateTimeSinceEpoch?: number | undefined
  [field: string]: unknown
}

/** A stored node's row and property rows, read ahead for a batch of reuses. */
export interface StoredNode {
  row: Row
  properties: PropertyRowValues[]
}

/** What to do when a new node's unique key (external id, or context name) already exists. */
export type OnExisting = 'fail' | 'reuse'

const reuseOption: Record<string, string> = {
  artifact: 'reuseArtifactIfAlreadyExistByExternalId',
  execution: 'reuseExecutionIfAlreadyExistByExternalId',
  context: 'reuseContextIfAlreadyExist',
}

/** The ALREADY_EXISTS of a new node whose key (external id, or context name) is taken. */
export function alreadyExists(
  table: NodeTable,
  input: NodeInput,
  field: string,
  existing: number | undefined,
): LoreError {
  const key =
    input.externalId !== undefined
      ? `externalId '${input.externalId}'`
      : `name '${input.name}'`
  const owner = existing === undefined ? 'an earlier record' : `id ${existing}`
  return new LoreError(
    'ALREADY_EXISTS',
    `${field}: ${table.entity === 'artifact' || table.entity === 'execution' ? 'an' : 'a'} ${table.entity} with ${key} already exists (${owner}); give its id to update it, or pass options.${reuseOption[table.entity]} to putExecution`,
    { details: { field, id: existing } },
  )
}

/**
 * The ALREADY_EXISTS of a node whose name another node of its type has: names are unique
 * within a type (MLMD's rule for artifacts, executions and contexts).
 */
export function nameTaken(
  table: NodeTable,
  name: string,
  field: string,
  existing: number | undefined,
): LoreError {
  const owner =
    existing === undefined
      ? 'another node of this batch'
      : `${table.entity} ${existing}`
  return new LoreError(
    'ALREADY_EXISTS',
    `${field}.name '${name}': ${owner} of this type has it; names are unique within a type, so give another name, leave name out, or give the existing node's id to update it`,
    { details: { field: `${field}.name`, value: name, id: existing } },
  )
}

/** Refuse `name` for a node of `typeId` when another node (not `ownId`) has it. */
export async function refuseTakenName(
  connection: Connection,
  table: NodeTable,
  typeId: number,
  name: string,
  field: string,
  ownId?: number,
): Promise<void> {
  const [clash] = await connection.query<{ id: number }>(
    `SELECT id FROM ${table.table} WHERE type_id = ? AND name = ?${ownId === undefined ? '' : ' AND id <> ?'}`,
    ownId === undefined ? [typeId, name] : [typeId, name, ownId],
  )
  if (clash !== undefined) throw nameTaken(table, name, field, Number(clash.id))
}

/**
 * Inserts and updates nodes of one kind with their properties. Callers run it inside a
 * transaction; `field` names the input in error messages (`artifacts[2]`).
 */
export class NodeWriter {
  readonly #types: TypeRegistry

  constructor(types: TypeRegistry) {
    this.#types = types
  }

  /** Insert a node without id, update one with id; returns the id. */
  async write(
    connection: Connection,
    table: NodeTable,
    input: NodeInput,
    field: string,
    now: number,
    onExisting: OnExisting,
    mask?: FieldMask,
    outcome?: { reused?: boolean },
  ): Promise<number> {
    if (input.id !== undefined) {
      await this.#update(connection, table, input.id, input, field, now, mask)
      return input.id
    }
    const existing = await this.#findExisting(connection, table, input, field)
    if (existing !== undefined) {
      if (onExisting === 'fail')
        throw alreadyExists(table, input, field, existing)
      if (outcome !== undefined) outcome.reused = true
      return this.reuse(connection, table, { id: existing }, input, field, now)
    }
    const prepared = await this.prepareInsert(
      connection,
      table,
      input,
      field,
      now,
    )
    if (table.entity !== 'context' && input.name !== undefined) {
      await refuseTakenName(
        connection,
        table,
        prepared.typeId,
        input.name,
        field,
      )
    }
    const insertId = await connection.insert(
      `INSERT INTO ${table.table} (${prepared.columns.join(', ')}) VALUES (${prepared.columns.map(() => '?').join(', ')})`,
      prepared.values,
    )
    await insertPropertyRows(connection, table, [
      [insertId, prepared.properties],
    ])
    return insertId
  }

  /**
   * Update a node found by its key (external id, or a context's type and name) with the
   * other fields of `input`; `existing.typeId`, when known, spares reading the row when
   * nothing else is given, and `existing.stored` (read ahead for a batch) spares reading it
   * at all. Writes nothing when the fields given equal the stored ones; `outcome.changed`
   * says whether it wrote.
   */
  async reuse(
    connection: Connection,
    table: NodeTable,
    existing: { id: number; typeId?: number; stored?: StoredNode | undefined },
    input: NodeInput,
    field: string,
    now: number,
    outcome?: { changed?: boolean },
  ): Promise<number> {
    // The key that found the node says nothing new: leave it out, so a record that
    // only names its run's context by name does not rewrite that context's row.
    const { externalId: _externalId, ...rest } = input
    const foundByName =
      table.entity === 'context' && input.externalId === undefined
    let update: NodeInput = foundByName ? { ...rest, name: undefined } : rest
    if (
      existing.typeId !== undefined &&
      (input.typeId !== undefined || input.type !== undefined)
    ) {
      const given = await this.#types.resolve(
        connection,
        table.typeKind,
        input,
        field,
      )
      if (given.id === existing.typeId) {
        const { type: _type, typeId: _typeId, ...untyped } = update
        update = untyped
      }
    }
    const changed = await this.#update(
      connection,
      table,
      existing.id,
      update,
      field,
      now,
      undefined,
      { stored: existing.stored },
    )
    if (outcome !== undefined) outcome.changed = changed
    return existing.id
  }

  /**
   * Check a new node and turn it into its row and property rows, without writing: the
   * columns and values of its INSERT, and `[name, is_custom, kind, number, string]` rows.
   */
  async prepareInsert(
    connection: Connection,
    table: NodeTable,
    input: NodeInput,
    field: string,
    now: number,
  ): Promise<PreparedNode> {
    const type =
      this.#types.cached(table.typeKind, input) ??
      (await this.#types.resolve(connection, table.typeKind, input, field))
    if (table.entity === 'context' && !input.name) {
      throw new LoreError(
        'INVALID_ARGUMENT',
        `${field}.name: a context needs a name (unique within its type)`,
      )
    }
    const columns = [
      'type_id',
      'create_time_since_epoch',
      'last_update_time_since_epoch',
    ]
    const values: unknown[] = [
      type.id,
      input.createTimeSinceEpoch ?? now,
      input.lastUpdateTimeSinceEpoch ?? now,
    ]
    for (const key in table.columns) {
      const column = table.columns[key]!
      const value = input[key] ?? table.defaults[key]
      if (value === undefined) continue
      columns.push(column)
      values.push(table.jsonFields.has(key) ? JSON.stringify(value) : value)
    }
    const properties = this.#declaresAll(type, input.properties)
      ? this.#knownPropertyRows(type, input, field)
      : await this.#propertyRows(connection, type, input, field)
    return { typeId: type.id, columns, values, properties }
  }

  async #findExisting(
    connection: Connection,
    table: NodeTable,
    input: NodeInput,
    field: string,
  ): Promise<number | undefined> {
    if (input.externalId !== undefined) {
      const [row] = await connection.query<{ id: number }>(
        `SELECT id FROM ${table.table} WHERE external_id = ?`,
        [input.externalId],
      )
      if (row !== undefined) return Number(row.id)
    }
    if (table.entity === 'context' && input.name !== undefined) {
      const type = await this.#types.resolve(
        connection,
        table.typeKind,
        input,
        field,
      )
      const [row] = await connection.query<{ id: number }>(
        'SELECT id FROM context WHERE type_id = ? AND name = ?',
        [type.id, input.name],
      )
      if (row !== undefined) return Number(row.id)
    }
    return undefined
  }

  async #update(
    connection: Connection,
    table: NodeTable,
    id: number,
    input: NodeInput,
    field: string,
    now: number,
    mask: FieldMask | undefined,
    known?: { stored: StoredNode | undefined },
  ): Promise<boolean> {
    const changesProperties =
      input.properties !== undefined || input.customProperties !== undefined
    const changesColumns = Object.keys(table.columns).some(
      (key) => input[key] !== undefined,
    )
    const checksTime = input.lastUpdateTimeSinceEpoch !== undefined
    // A node found by its key a moment ago exists: a reuse that says nothing new reads nothing.
    if (
      known !== undefined &&
      mask === undefined &&
      !changesColumns &&
      !changesProperties &&
      !checksTime &&
      input.typeId === undefined &&
      input.type === undefined
    )
      return false
    const row =
      known?.stored?.row ??
      (
        await connection.query<Row>(
          `SELECT * FROM ${table.table} WHERE id = ?`,
          [id],
        )
      )[0]
    if (row === undefined) {
      throw new LoreError(
        'INVALID_ARGUMENT',
        `${field}.id ${id}: no ${table.entity} has this id; leave id out to create one`,
        {
          details: { field: `${field}.id`, value: id },
        },
      )
    }
    const type = await this.#types.resolve(
      connection,
      table.typeKind,
      { typeId: Number(row.type_id) },
      field,
    )
    const given = await (input.typeId !== undefined || input.type !== undefined
      ? this.#types.resolve(connection, table.typeKind, input, field)
      : type)
    if (given.id !== type.id) {
      throw new LoreError(
        'INVALID_ARGUMENT',
        `${field}: ${table.entity} ${id} has type '${type.name}', not '${given.name}'; a node's type never changes`,
      )
    }
    const storedTime = Number(row.last_update_time_since_epoch)
    if (checksTime && input.lastUpdateTimeSinceEpoch !== storedTime) {
      throw new LoreError(
        'FAILED_PRECONDITION',
        `${field}.lastUpdateTimeSinceEpoch ${input.lastUpdateTimeSinceEpoch}: ${table.entity} ${id} changed since it was read (it is now ${storedTime}); read it again and redo the update`,
        {
          details: {
            field: `${field}.lastUpdateTimeSinceEpoch`,
            value: input.lastUpdateTimeSinceEpoch,
            stored: storedTime,
          },
        },
      )
    }
    const change = await nodeChange(
      connection,
      this.#types,
      table,
      row,
      type,
      input,
      mask,
      field,
      known?.stored?.properties,
    )
    if (change.assignments.length === 0 && change.groups.size === 0)
      return false
    const externalId = input.externalId
    if (
      externalId !== undefined &&
      change.assignments.includes('external_id = ?')
    ) {
      const [clash] = await connection.query<{ id: number }>(
        `SELECT id FROM ${table.table} WHERE external_id = ?`,
        [externalId],
      )
      if (clash !== undefined) {
        throw new LoreError(
          'ALREADY_EXISTS',
          `${field}.externalId '${externalId}': ${table.entity} ${clash.id} has it; external ids are unique`,
          { details: { field: `${field}.externalId`, id: Number(clash.id) } },
        )
      }
    }
    if (input.name !== undefined && change.assignments.includes('name = ?')) {
      await refuseTakenName(connection, table, type.id, input.name, field, id)
    }
    // Strictly later than the stored time, so that a reader holding the old time learns
    // of the change even when both fall in one millisecond.
    await connection.execute(
      `UPDATE ${table.table} SET ${[...change.assignments, 'last_update_time_since_epoch = ?'].join(', ')} WHERE id = ?`,
      [...change.values, Math.max(now, storedTime + 1), id],
    )
    for (const [isCustom, rows] of change.groups) {
      await connection.execute(
        `DELETE FROM ${table.propertyTable} WHERE ${table.ownerColumn} = ? AND is_custom = ?`,
        [id, isCustom],
      )
      await insertPropertyRows(connection, table, [[id, rows]])
    }
    return true
  }

  #declaresAll(type: TypeInfo, properties: Properties | undefined): boolean {
    if (properties === undefined) return true
    for (const name of Object.keys(properties))
      if (!type.properties.has(name)) return false
    return true
  }

  /** {@link #propertyRows} when the cached type declares every typed property. */
  #knownPropertyRows(
    type: TypeInfo,
    input: NodeInput,
    field: string,
  ): unknown[][] {
    const rows: unknown[][] =
      input.properties === undefined
        ? []
        : encodeProperties(type, input.properties, 0, field)
    if (input.customProperties !== undefined)
      for (const row of encodeProperties(
        type,
        input.customProperties,
        1,
        field,
      ))
        rows.push(row)
    return rows
  }

  async #propertyRows(
    connection: Connection,
    type: TypeInfo,
    input: NodeInput,
    field: string,
  ): Promise<unknown[][]> {
    const rows: unknown[][] = []
    for (const [properties, isCustom] of [
      [input.properties, 0],
      [input.customProperties, 1],
    ] as const) {
      if (properties === undefined) continue
      rows.push(
        ...(await encodePropertyGroup(
          connection,
          this.#types,
          type,
          properties,
          isCustom,
          field,
        )),
      )
    }
    return rows
  }
}

/** A new node checked and ready to insert; see {@link NodeWriter.prepareInsert}. */
export interface PreparedNode {
  typeId: number
  columns: string[]
  values: unknown[]
  /** `[name, is_custom, kind, number_value, string_value]` rows, without the owner's id. */
  properties: unknown[][]
}

/**
 * Insert the property rows of several nodes of one table, many rows a statement: a round
 * trip each on a server. Given the dialect's adapter, a batch's rows go in as few statements
 * as it allows ({@link insertRows}); without it, 100 rows a statement.
 */
export async function insertPropertyRows(
  connection: Connection,
  table: NodeTable,
  nodes: [id: number, properties: unknown[][]][],
  adapter?: DialectAdapter,
): Promise<void> {
  const rows: unknown[][] = []
  for (const [id, properties] of nodes)
    for (const property of properties) rows.push([id, ...property])
  if (adapter !== undefined) {
    await insertRows(
      connection,
      adapter,
      table.propertyTable,
      [
        table.ownerColumn,
        'name',
        'is_custom',
        'kind',
        'number_value',
        'string_value',
      ],
      rows,
      'insert',
    )
    return
  }
  for (let start = 0; start < rows.length; start += propertyRowsPerStatement) {
    const chunk = rows.slice(start, start + propertyRowsPerStatement)
    await connection.execute(
      `INSERT INTO ${table.propertyTable} (${table.ownerColumn}, name, is_custom, kind, number_value, string_value) VALUES ${chunk.map(() => '(?, ?, ?, ?, ?, ?)').join(', ')}`,
      chunk.flat(),
    )
  }
}
