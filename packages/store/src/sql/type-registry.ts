import { LoreError } from '../lore-error.js'
import type { PropertyType } from '../record-schemas.js'
import type { Connection } from './dialect.js'

export type TypeKind = 'ARTIFACT' | 'EXECUTION' | 'CONTEXT'

/** A stored type, as the registry keeps it. */
export interface TypeInfo {
  id: number
  kind: TypeKind
  name: string
  version: string
  description?: string
  externalId?: string
  baseType?: string
  properties: Map<string, PropertyType>
}

/** What a put of a type asks for, after validation. */
export interface TypeDefinition {
  id?: number | undefined
  name: string
  version?: string | undefined
  description?: string | undefined
  externalId?: string | undefined
  baseType?: string | undefined
  properties: Record<string, PropertyType>
}

interface TypeRow {
  id: number
  kind: TypeKind
  name: string
  version: string
  description: string | null
  external_id: string | null
  base_type: string | null
}

const label = (kind: TypeKind): string => kind.toLowerCase()

/**
 * Types by id and by name, cached: a step record resolves its types without a query. The
 * cache is refreshed when a type seems to lack a property, since another process may have
 * evolved it.
 */
export class TypeRegistry {
  readonly #byId = new Map<number, TypeInfo>()

  async #load(
    connection: Connection,
    where: string,
    params: unknown[],
  ): Promise<TypeInfo[]> {
    const rows = await connection.query<TypeRow>(
      `SELECT * FROM lore_type WHERE ${where} ORDER BY id`,
      params,
    )
    if (rows.length === 0) return []
    const propertyRows = await connection.query<{
      type_id: number
      name: string
      data_type: PropertyType
    }>(
      `SELECT type_id, name, data_type FROM lore_type_property WHERE type_id IN (${rows.map(() => '?').join(', ')})`,
      rows.map((row) => row.id),
    )
    return rows.map((row) => {
      const info: TypeInfo = {
        id: Number(row.id),
        kind: row.kind,
        name: row.name,
        version: row.version,
        properties: new Map(
          propertyRows
            .filter((p) => Number(p.type_id) === Number(row.id))
            .map((p) => [p.name, p.data_type]),
        ),
      }
      if (row.description !== null) info.description = row.description
      if (row.external_id !== null) info.externalId = row.external_id
      if (row.base_type !== null) info.baseType = row.base_type
      this.#byId.set(info.id, info)
      return info
    })
  }

  /** All types of a kind, fresh from the database. */
  list(connection: Connection, kind: TypeKind): Promise<TypeInfo[]> {
    return this.#load(connection, 'kind = ?', [kind])
  }

  /** The type with this name (and version); NOT_FOUND when there is none. */
  async get(
    connection: Connection,
    kind: TypeKind,
    name: string,
    version?: string,
  ): Promise<TypeInfo> {
    const found =
      version === undefined
        ? await this.#load(connection, 'kind = ? AND name = ?', [kind, name])
        : await this.#load(
            connection,
            'kind = ? AND name = ? AND version = ?',
            [kind, name, version],
          )
    const type = found.find((candidate) => candidate.version === '') ?? found[0]
    if (
      type === undefined ||
      (version === undefined && found.length > 1 && type.version !== '')
    ) {
      const versions = found
        .map((candidate) => `'${candidate.version}'`)
        .join(', ')
      throw new LoreError(
        found.length > 1 ? 'INVALID_ARGUMENT' : 'NOT_FOUND',
        found.length > 1
          ? `${label(kind)} type '${name}' has versions ${versions}; give the version or the typeId`
          : `no ${label(kind)} type is named '${name}'${version ? ` with version '${version}'` : ''}; create it with put${kind[0]}${label(kind).slice(1)}Type()`,
        { details: { kind, name, version } },
      )
    }
    return type
  }

  /**
   * The type a node refers to when it is cached, without a round trip (or an await, which a
   * batch would pay once per node); `undefined` sends the caller to {@link resolve}.
   */
  cached(
    kind: TypeKind,
    reference: { typeId?: number | undefined; type?: string | undefined },
  ): TypeInfo | undefined {
    if (reference.typeId !== undefined) {
      const cached = this.#byId.get(reference.typeId)
      return cached?.kind === kind ? cached : undefined
    }
    if (reference.type === undefined) return undefined
    for (const info of this.#byId.values()) {
      if (
        info.kind === kind &&
        info.name === reference.type &&
        info.version === ''
      )
        return info
    }
    return undefined
  }

  /** The type a node refers to, by `typeId` or by `type` name. */
  async resolve(
    connection: Connection,
    kind: TypeKind,
    reference: { typeId?: number | undefined; type?: string | undefined },
    field: string,
  ): Promise<TypeInfo> {
    const cached = this.cached(kind, reference)
    if (cached !== undefined) return cached
    if (reference.typeId !== undefined) {
      const [found] = await this.#load(connection, 'id = ? AND kind = ?', [
        reference.typeId,
        kind,
      ])
      if (found === undefined) {
        throw new LoreError(
          'NOT_FOUND',
          `${field}.typeId ${reference.typeId}: no ${label(kind)} type has this id`,
          {
            details: { field: `${field}.typeId`, value: reference.typeId },
          },
        )
      }
      return found
    }
    if (reference.type !== undefined)
      return this.get(connection, kind, reference.type)
    throw new LoreError(
      'INVALID_ARGUMENT',
      `${field}: give its type, as typeId or as type (the type's name)`,
      {
        details: { field },
      },
    )
  }

  /** The declared kind of a property, re-reading the type once in case it evolved. */
  async declaredKind(
    connection: Connection,
    type: TypeInfo,
    name: string,
  ): Promise<PropertyType | undefined> {
    const kind = type.properties.get(name)
    if (kind !== undefined) return kind
    const [fresh] = await this.#load(connection, 'id = ?', [type.id])
    return fresh?.properties.get(name)
  }

  /** Create a type, or evolve it by MLMD's rules. */
  async put(
    connection: Connection,
    kind: TypeKind,
    definition: TypeDefinition,
    evolution: { canAddFields: boolean; canOmitFields: boolean },
  ): Promise<number> {
    const version = definition.version ?? ''
    const [stored] = await this.#load(
      connection,
      'kind = ? AND name = ? AND version = ?',
      [kind, definition.name, version],
    )
    const what = `${label(kind)} type '${definition.name}'${version ? ` version '${version}'` : ''}`
    if (stored === undefined) {
      if (definition.id !== undefined) {
        throw new LoreError(
          'NOT_FOUND',
          `${what}: id ${definition.id} is given but no such type exists; leave id out to create it`,
        )
      }
      if (definition.externalId !== undefined) {
        const [clash] = await connection.query<{ name: string }>(
          'SELECT name FROM lore_type WHERE external_id = ?',
          [definition.externalId],
        )
        if (clash !== undefined) {
          throw new LoreError(
            'ALREADY_EXISTS',
            `${what}: externalId '${definition.externalId}' belongs to type '${clash.name}'; external ids are unique`,
          )
        }
      }
      const insertId = await connection.insert(
        'INSERT INTO lore_type (kind, name, version, description, external_id, base_type) VALUES (?, ?, ?, ?, ?, ?)',
        [
          kind,
          definition.name,
          version,
          definition.description,
          definition.externalId,
          definition.baseType,
        ],
      )
      await this.#addProperties(
        connection,
        insertId,
        Object.entries(definition.properties),
      )
      return insertId
    }
    if (definition.id !== undefined && definition.id !== stored.id) {
      throw new LoreError(
        'INVALID_ARGUMENT',
        `${what} has id ${stored.id}, not ${definition.id}`,
      )
    }
    if (
      definition.baseType !== undefined &&
      definition.baseType !== stored.baseType
    ) {
      // MLMD answers UNIMPLEMENTED: changing a base type is an operation it does not have.
      throw new LoreError(
        'UNIMPLEMENTED',
        `${what} exists with base type ${stored.baseType ?? 'none'}, not ${definition.baseType}; changing a type's base type is not supported: use a new type name or version`,
        {
          details: {
            stored: stored.baseType ?? null,
            given: definition.baseType,
          },
        },
      )
    }
    const added: [string, PropertyType][] = []
    for (const [name, propertyKind] of Object.entries(definition.properties)) {
      const storedKind = stored.properties.get(name)
      if (storedKind === undefined) added.push([name, propertyKind])
      else if (storedKind !== propertyKind) {
        throw new LoreError(
          'ALREADY_EXISTS',
          `${what} has property '${name}' as ${storedKind}, not ${propertyKind}; a property's kind never changes — use a new property name or a new type version`,
          {
            details: {
              property: name,
              stored: storedKind,
              given: propertyKind,
            },
          },
        )
      }
    }
    if (added.length > 0 && !evolution.canAddFields) {
      throw new LoreError(
        'ALREADY_EXISTS',
        `${what} exists without ${added.map(([name]) => `'${name}'`).join(', ')}; pass { canAddFields: true } to add them`,
        { details: { added: added.map(([name]) => name) } },
      )
    }
    const omitted = [...stored.properties.keys()].filter(
      (name) => !(name in definition.properties),
    )
    if (omitted.length > 0 && !evolution.canOmitFields) {
      throw new LoreError(
        'ALREADY_EXISTS',
        `${what} also has ${omitted.map((name) => `'${name}'`).join(', ')}; include them or pass { canOmitFields: true }`,
        { details: { omitted } },
      )
    }
    // The cache learns of added properties on its next read, after this transaction commits.
    await this.#addProperties(connection, stored.id, added)
    return stored.id
  }

  async #addProperties(
    connection: Connection,
    typeId: number,
    properties: [string, PropertyType][],
  ): Promise<void> {
    for (const [name, kind] of properties) {
      await connection.execute(
        'INSERT INTO lore_type_property (type_id, name, data_type) VALUES (?, ?, ?)',
        [typeId, name, kind],
      )
    }
  }
}
