import { LoreError } from '../lore-error.js'
import type { Properties, PropertyType } from '../record-schemas.js'
import type { Connection, Row } from './dialect.js'
import type { FieldMask } from './field-mask.js'
import type { NodeTable } from './node-tables.js'
import { encodeProperty } from './property-codec.js'
import type { TypeInfo, TypeRegistry } from './type-registry.js'

/** A property as stored: `[name, is_custom, kind, number_value, string_value]`. */
export type PropertyRowValues = [
  name: string,
  isCustom: number,
  kind: string,
  number: number | null,
  string: string | null,
]

/** A property row as read from its table, in {@link PropertyRowValues} order. */
export function propertyRowValues(row: Row): PropertyRowValues {
  return [
    String(row.name),
    Number(row.is_custom),
    String(row.kind),
    row.number_value === null ? null : Number(row.number_value),
    row.string_value === null ? null : String(row.string_value),
  ]
}

/** Fields a node must always have: a mask cannot clear them. */
const required = new Set(['state', 'lastKnownState'])

/**
 * Encode one property group of a node into rows, checking typed properties against the
 * type (re-read once in case another process evolved it).
 */
export async function encodePropertyGroup(
  connection: Connection,
  types: TypeRegistry,
  type: TypeInfo,
  properties: Properties,
  isCustom: 0 | 1,
  field: string,
): Promise<PropertyRowValues[]> {
  // Only a property the cached type does not declare costs a round trip (and an await).
  let reread: Map<string, PropertyType | undefined> | undefined
  if (!isCustom) {
    for (const name of Object.keys(properties)) {
      if (type.properties.has(name)) continue
      reread ??= new Map()
      reread.set(name, await types.declaredKind(connection, type, name))
    }
  }
  return encodeProperties(type, properties, isCustom, field, reread)
}

/**
 * {@link encodePropertyGroup} without the round trip: typed properties are checked against
 * `type` as cached, and against `reread` (kinds read again) for names it does not declare.
 */
export function encodeProperties(
  type: TypeInfo,
  properties: Properties,
  isCustom: 0 | 1,
  field: string,
  reread?: ReadonlyMap<string, PropertyType | undefined>,
): PropertyRowValues[] {
  const rows: PropertyRowValues[] = []
  for (const name of Object.keys(properties)) {
    const value = properties[name]!
    let declared: PropertyType | undefined
    if (!isCustom) {
      declared = type.properties.get(name) ?? reread?.get(name)
      if (declared === undefined) {
        const propertyField = `${field}.properties.${name}`
        throw new LoreError(
          'INVALID_ARGUMENT',
          `${propertyField}: type '${type.name}' has no property '${name}'; declare it in the type (with canAddFields) or use customProperties`,
          { details: { field: propertyField } },
        )
      }
    }
    const encoded = encodeProperty(
      value,
      declared,
      field,
      isCustom,
      name,
      type.name,
    )
    rows.push([name, isCustom, encoded.kind, encoded.number, encoded.string])
  }
  return rows
}

function sameValue(stored: unknown, value: unknown): boolean {
  if (value === null || value === undefined)
    return stored === null || stored === undefined
  if (stored === null || stored === undefined) return false
  if (typeof value === 'number') return Number(stored) === value
  return String(stored) === String(value)
}

function sameRows(
  stored: readonly PropertyRowValues[],
  desired: readonly PropertyRowValues[],
): boolean {
  if (stored.length !== desired.length) return false
  const byName = new Map(stored.map((row) => [row[0], row]))
  return desired.every((row) => {
    const old = byName.get(row[0])
    return (
      old !== undefined &&
      old[2] === row[2] &&
      sameValue(old[3], row[3]) &&
      sameValue(old[4], row[4])
    )
  })
}

/** What an update of one node changes, worked out before anything is written. */
export interface NodeChange {
  /** `column = ?` assignments and their values, without the update time. */
  assignments: string[]
  values: unknown[]
  /** Property groups to rewrite whole, by `is_custom`. */
  groups: Map<0 | 1, PropertyRowValues[]>
}

/**
 * Work out what an update of a stored node changes: the columns whose value differs and the
 * property groups whose rows differ. Without a mask, the fields given are set and a property
 * group given replaces the stored one (MLMD's Put without a mask); with one, only masked
 * fields change and a masked field left out is cleared.
 */
export async function nodeChange(
  connection: Connection,
  types: TypeRegistry,
  table: NodeTable,
  stored: Row,
  type: TypeInfo,
  input: Record<string, unknown>,
  mask: FieldMask | undefined,
  field: string,
  storedProperties?: readonly PropertyRowValues[],
): Promise<NodeChange> {
  const assignments: string[] = []
  const values: unknown[] = []
  for (const [key, column] of Object.entries(table.columns)) {
    if (mask !== undefined && !mask.fields.has(key)) continue
    const given = input[key]
    if (given === undefined && mask === undefined) continue
    if (given === undefined && required.has(key)) {
      throw new LoreError(
        'INVALID_ARGUMENT',
        `${field}.${key}: the field mask names it but the ${table.entity} leaves it out, and a ${table.entity} always has one; give its new value`,
        { details: { field: `${field}.${key}` } },
      )
    }
    const value =
      given === undefined
        ? null
        : table.jsonFields.has(key)
          ? JSON.stringify(given)
          : given
    if (sameValue(stored[column], value)) continue
    assignments.push(`${column} = ?`)
    values.push(value)
  }
  const groups = new Map<0 | 1, PropertyRowValues[]>()
  const touched = ([0, 1] as const).filter((isCustom) =>
    mask === undefined
      ? input[isCustom ? 'customProperties' : 'properties'] !== undefined
      : mask.groups.has(isCustom),
  )
  if (touched.length === 0) return { assignments, values, groups }
  const storedRows =
    storedProperties ??
    (
      await connection.query<Row>(
        `SELECT name, is_custom, kind, number_value, string_value FROM ${table.propertyTable} WHERE ${table.ownerColumn} = ?`,
        [stored.id],
      )
    ).map(propertyRowValues)
  for (const isCustom of touched) {
    const given =
      (input[isCustom ? 'customProperties' : 'properties'] as
        Properties | undefined) ?? {}
    const before = storedRows.filter((row) => row[1] === isCustom)
    const groupMask = mask?.groups.get(isCustom) ?? 'all'
    const subset =
      groupMask === 'all'
        ? given
        : Object.fromEntries(
            Object.entries(given).filter(([name]) => groupMask.has(name)),
          )
    const encoded = await encodePropertyGroup(
      connection,
      types,
      type,
      subset,
      isCustom,
      field,
    )
    const desired =
      groupMask === 'all'
        ? encoded
        : [...before.filter((row) => !groupMask.has(row[0])), ...encoded]
    if (!sameRows(before, desired)) groups.set(isCustom, desired)
  }
  return { assignments, values, groups }
}
