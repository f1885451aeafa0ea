import { LoreError } from '../lore-error.js'
import type { NodeTable } from './node-tables.js'

/** Which properties of one group (`properties` or `customProperties`) a mask names. */
export type GroupMask = 'all' | ReadonlySet<string>

/** A parsed field mask: the record fields and property names an update may change. */
export interface FieldMask {
  /** Record fields (`uri`, `state`, …) by their record name. */
  fields: ReadonlySet<string>
  /** By `is_custom` (0: properties, 1: customProperties). */
  groups: ReadonlyMap<0 | 1, GroupMask>
}

const groupNames: Record<string, 0 | 1> = {
  properties: 0,
  customProperties: 1,
  custom_properties: 1,
}

function addToGroup(
  groups: Map<0 | 1, GroupMask>,
  isCustom: 0 | 1,
  name: string | undefined,
): void {
  const current = groups.get(isCustom)
  if (current === 'all') return
  if (name === undefined) {
    groups.set(isCustom, 'all')
    return
  }
  groups.set(isCustom, new Set([...(current ?? []), name]))
}

/**
 * Parse MLMD's `field_mask_paths` for one node table. A path is a record field (`uri`, or its
 * column name `external_id`), a property group (`properties`, `customProperties` or MLMD's
 * `custom_properties`), or one property of a group (`properties.accuracy`; the rest of the
 * path after the first dot is the property's name, dots included). Throws INVALID_ARGUMENT
 * naming the path for anything else; `undefined` or an empty list is no mask.
 *
 * @example
 * parseFieldMask(nodeTables.artifact, ['uri', 'properties.accuracy'], 'options')
 */
export function parseFieldMask(
  table: NodeTable,
  paths: readonly string[] | undefined,
  field: string,
): FieldMask | undefined {
  if (paths === undefined || paths.length === 0) return undefined
  const byColumn = new Map(
    Object.entries(table.columns).map(([key, column]) => [column, key]),
  )
  const fields = new Set<string>()
  const groups = new Map<0 | 1, GroupMask>()
  for (const [index, path] of paths.entries()) {
    const dot = path.indexOf('.')
    const head = dot === -1 ? path : path.slice(0, dot)
    const rest = dot === -1 ? undefined : path.slice(dot + 1)
    const group = Object.hasOwn(groupNames, head) ? groupNames[head] : undefined
    if (group !== undefined && rest !== '') {
      addToGroup(groups, group, rest)
      continue
    }
    const key = Object.hasOwn(table.columns, path) ? path : byColumn.get(path)
    if (key === undefined) {
      const known = [
        ...Object.keys(table.columns),
        'properties',
        'properties.<name>',
        'customProperties',
        'customProperties.<name>',
      ]
      throw new LoreError(
        'INVALID_ARGUMENT',
        `${field}.fieldMaskPaths[${index}] '${path}': a ${table.entity} has no such field; mask one of ${known.join(', ')}`,
        {
          details: { field: `${field}.fieldMaskPaths[${index}]`, value: path },
        },
      )
    }
    fields.add(key)
  }
  return { fields, groups }
}
