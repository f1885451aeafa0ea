import {
  artifactStateSchema,
  eventTypeSchema,
  executionStateSchema,
} from '../record-schemas.js'

/** The node kind a filter is compiled for; it decides which fields exist. */
export type FilterEntity = 'artifact' | 'execution' | 'context'

/** What a column holds, so that `name = 5` or `id LIKE '1%'` can be refused up front. */
export type ColumnType = 'string' | 'number'

/** A column of a node table, or the name of the node's type. */
export type NodeField =
  { kind: 'attribute'; column: string; type: ColumnType } | { kind: 'type' }

/**
 * How a node reaches the contexts a `contexts.` / `parent_contexts.` field talks about, or
 * the events an `events_<alias>.` field does.
 */
export type LinkRelation =
  'contexts' | 'parent_contexts' | 'child_contexts' | 'events'

/** MLMD's spelling of a property's value: `properties.p.int_value`. */
export type PropertyValueKind =
  'int_value' | 'double_value' | 'string_value' | 'bool_value'

const propertyValueKinds: ReadonlySet<string> = new Set([
  'int_value',
  'double_value',
  'string_value',
  'bool_value',
])

/** A field path resolved against one entity. */
export type ResolvedField =
  | NodeField
  | {
      kind: 'property'
      name: string
      isCustom: boolean
      /** Given in MLMD's spelling: the stored kind the property must have. */
      valueKind?: PropertyValueKind
    }
  | {
      kind: 'link'
      relation: LinkRelation
      target: NodeField
      /**
       * MLMD's alias (`contexts_a`, `events_0`): every condition on one alias is about one
       * linked context or event; without one, each condition is about any.
       */
      alias?: string
    }

const common: [string, ColumnType][] = [
  ['id', 'number'],
  ['name', 'string'],
  ['external_id', 'string'],
  ['create_time_since_epoch', 'number'],
  ['last_update_time_since_epoch', 'number'],
]

// Maps, not object literals: a backquoted `constructor` must not find Object.prototype's.
/** The columns each entity can be filtered on; the names users write are the column names. */
export const attributeColumns: Record<
  FilterEntity,
  ReadonlyMap<string, ColumnType>
> = {
  artifact: new Map([
    ...common,
    ['uri', 'string'],
    ['version', 'string'],
    ['fingerprint', 'string'],
    ['state', 'string'],
  ]),
  execution: new Map([
    ...common,
    ['last_known_state', 'string'],
    ['start_time_since_epoch', 'number'],
    ['end_time_since_epoch', 'number'],
    ['cache_key', 'string'],
    ['code_version', 'string'],
  ]),
  context: new Map(common),
}

const linkRelations: Record<FilterEntity, readonly LinkRelation[]> = {
  artifact: ['contexts'],
  execution: ['contexts'],
  context: ['parent_contexts', 'child_contexts'],
}

/** Relations an alias may name (MLMD's `contexts_a`, `events_0`). */
const aliasRelations: Record<FilterEntity, readonly LinkRelation[]> = {
  artifact: ['contexts', 'events'],
  execution: ['contexts', 'events'],
  context: ['parent_contexts', 'child_contexts'],
}

/** The fields of an event an `events_<alias>.` condition can test. */
export const eventColumns: ReadonlyMap<string, ColumnType> = new Map([
  ['type', 'string'],
  ['artifact_id', 'number'],
  ['execution_id', 'number'],
  ['milliseconds_since_epoch', 'number'],
])

const aliasPattern = /^(parent_contexts|child_contexts|contexts|events)_(\w+)$/

const allEntities: readonly FilterEntity[] = [
  'artifact',
  'execution',
  'context',
]

/** Every field an entity accepts, as a user would write it; for error messages. */
export function fieldNames(entity: FilterEntity): string[] {
  return [
    ...attributeColumns[entity].keys(),
    'type',
    'properties.<name>',
    'custom_properties.<name>',
    ...linkRelations[entity].map((relation) => `${relation}.<field>`),
    ...aliasRelations[entity].map((relation) => `${relation}_<alias>.<field>`),
  ]
}

function resolveNodeField(
  entities: readonly FilterEntity[],
  name: string,
): NodeField | undefined {
  if (name === 'type') return { kind: 'type' }
  for (const entity of entities) {
    const type = attributeColumns[entity].get(name)
    if (type !== undefined) return { kind: 'attribute', column: name, type }
  }
  return undefined
}

/**
 * Resolve a field path for one entity, or for any entity when `entity` is omitted (the
 * parser checks names before it knows the entity). Returns a problem instead of throwing,
 * so that the caller can say where in the filter it is.
 */
export function resolveField(
  path: readonly string[],
  entity?: FilterEntity,
): ResolvedField | { problem: string } {
  const [head = '', ...rest] = path
  const entities = entity === undefined ? allEntities : [entity]
  const written = path.join('.')
  const names = [...new Set(entities.flatMap(fieldNames))].join(', ')
  const unknown = {
    problem: `unknown field ${written}; ${entity === undefined ? 'filters' : `filters on ${entity}s`} can use ${names}`,
  }
  if (head === 'properties' || head === 'custom_properties') {
    const [name, valueKind, ...extra] = rest
    if (
      name !== undefined &&
      valueKind !== undefined &&
      extra.length === 0 &&
      propertyValueKinds.has(valueKind)
    ) {
      return {
        kind: 'property',
        name,
        isCustom: head === 'custom_properties',
        valueKind: valueKind as PropertyValueKind,
      }
    }
    if (name === undefined || valueKind !== undefined) {
      return {
        problem: `${written} must name one property, like ${head}.accuracy (or, as MLMD writes it, ${head}.accuracy.double_value); put names with dots or spaces in backquotes: ${head}.\`my.key\``,
      }
    }
    return { kind: 'property', name, isCustom: head === 'custom_properties' }
  }
  const relation = entities
    .flatMap((each) => linkRelations[each])
    .find((each) => each === head)
  if (relation !== undefined) {
    const [name = '', ...extra] = rest
    const target =
      extra.length === 0 ? resolveNodeField(['context'], name) : undefined
    if (target !== undefined) return { kind: 'link', relation, target }
    const fields = ['type', ...attributeColumns.context.keys()]
    return {
      problem: `unknown field ${written}; ${head} takes one of ${fields.map((field) => `${head}.${field}`).join(', ')}`,
    }
  }
  const aliased = aliasPattern.exec(head)
  if (aliased !== null) {
    const relation = aliased[1] as LinkRelation
    const allowed = entities.some((each) =>
      aliasRelations[each].includes(relation),
    )
    const [name = '', ...extra] = rest
    const columns =
      relation === 'events' ? eventColumns : attributeColumns.context
    const target: NodeField | undefined =
      extra.length > 0
        ? undefined
        : relation !== 'events' && name === 'type'
          ? { kind: 'type' }
          : columns.has(name)
            ? { kind: 'attribute', column: name, type: columns.get(name)! }
            : undefined
    if (allowed && target !== undefined)
      return { kind: 'link', relation, target, alias: head }
    const fields = [
      ...(relation === 'events' ? [] : ['type']),
      ...columns.keys(),
    ]
    return {
      problem: allowed
        ? `unknown field ${written}; ${head} takes one of ${fields.map((each) => `${head}.${each}`).join(', ')}`
        : `unknown field ${written}; ${entity === undefined ? 'no' : `filters on ${entity}s have no`} ${relation}_<alias> fields`,
    }
  }
  const field = rest.length === 0 ? resolveNodeField(entities, head) : undefined
  return field ?? unknown
}

/**
 * The values of an enum field (an artifact's `state`, an execution's `last_known_state`, an
 * event's `type`), which MLMD writes unquoted (`state = LIVE`); `undefined` for other fields.
 */
export function enumValuesOf(
  field: ResolvedField,
): readonly string[] | undefined {
  const target = field.kind === 'link' ? field.target : field
  if (target.kind !== 'attribute') return undefined
  if (field.kind === 'link' && field.relation === 'events')
    return target.column === 'type' ? eventTypeSchema.options : undefined
  if (field.kind === 'link') return undefined
  if (target.column === 'state') return artifactStateSchema.options
  if (target.column === 'last_known_state') return executionStateSchema.options
  return undefined
}
