import { LoreError } from '../lore-error.js'
import {
  takeCheckedJson,
  type Properties,
  type PropertyType,
  type Value,
} from '../record-schemas.js'

/** A property as its table stores it. */
export interface PropertyRow {
  name: string
  is_custom: number
  kind: string
  number_value: number | null
  string_value: string | null
}

/** The kind a custom property gets from its value. */
export function inferKind(value: Value): PropertyType {
  if (typeof value === 'string') return 'STRING'
  if (typeof value === 'boolean') return 'BOOLEAN'
  if (typeof value === 'number')
    return Number.isSafeInteger(value) ? 'INT' : 'DOUBLE'
  return 'STRUCT'
}

function fits(kind: PropertyType, value: Value): boolean {
  switch (kind) {
    case 'STRING':
      return typeof value === 'string'
    case 'INT':
      // Beyond 2^53 a JavaScript number is no longer an exact integer (MLMD's is int64).
      return typeof value === 'number' && Number.isSafeInteger(value)
    case 'DOUBLE':
      return typeof value === 'number'
    case 'BOOLEAN':
      return typeof value === 'boolean'
    case 'STRUCT':
      return typeof value === 'object'
  }
}

/**
 * The columns one property is stored in. Typed properties are checked against the type's
 * schema; the error names the property by its node's `field`, group and `name`
 * (`artifacts[0].properties.accuracy`), a string built only when it is needed.
 */
export function encodeProperty(
  value: Value,
  declared: PropertyType | undefined,
  nodeField: string,
  isCustom: 0 | 1,
  name: string,
  typeName: string,
): { kind: PropertyType; number: number | null; string: string | null } {
  const kind = declared ?? inferKind(value)
  if (!fits(kind, value)) {
    const field = `${nodeField}.${isCustom ? 'customProperties' : 'properties'}.${name}`
    throw new LoreError(
      'INVALID_ARGUMENT',
      `${field}: type ${typeName} declares ${kind} but the value is ${JSON.stringify(value)}; pass a ${kind} value or put it in customProperties`,
      { details: { field, kind, value } },
    )
  }
  if (kind === 'STRUCT')
    return {
      kind,
      number: null,
      string: takeCheckedJson(value as object) ?? JSON.stringify(value),
    }
  if (kind === 'STRING') return { kind, number: null, string: value as string }
  return { kind, number: Number(value), string: null }
}

function decode(row: PropertyRow): Value {
  switch (row.kind) {
    case 'STRING':
      return row.string_value ?? ''
    case 'BOOLEAN':
      return row.number_value !== 0
    case 'STRUCT':
      return JSON.parse(row.string_value ?? 'null') as Value
    default:
      return Number(row.number_value)
  }
}

/** Split stored property rows into `properties` and `customProperties`. */
export function decodeProperties(rows: readonly PropertyRow[]): {
  properties: Properties
  customProperties: Properties
} {
  const properties: Properties = {}
  const customProperties: Properties = {}
  for (const row of rows)
    (Number(row.is_custom) ? customProperties : properties)[row.name] =
      decode(row)
  return { properties, customProperties }
}
