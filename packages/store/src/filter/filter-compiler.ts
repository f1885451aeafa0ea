import { LoreError } from '../lore-error.js'
import {
  bindAliases,
  collectAliases,
  type AliasBinding,
} from './filter-aliases.js'
import { invalidFilter } from './filter-error.js'
import {
  resolveField,
  type FilterEntity,
  type LinkRelation,
  type NodeField,
} from './filter-fields.js'
import {
  literalProblem,
  literalType,
  type LiteralType,
} from './filter-literals.js'
import {
  comparisonOperators,
  type FilterLeaf,
  type FilterNode,
  type FilterValue,
} from './filter-node.js'

/** A SQL boolean expression with `?` placeholders, and the values that fill them in order. */
export interface CompiledFilter {
  sql: string
  params: unknown[]
}

/** What {@link compileFilter} compiles for. */
export interface CompileFilterOptions {
  /** The node table the filter selects from; it decides which fields exist. */
  entity: FilterEntity
  /** The alias of that table in the enclosing query, such as `t`: a plain SQL identifier. */
  alias: string
  /**
   * How a property test that compares values is written. `'in'` (the default) is
   * `t.id IN (SELECT owner FROM property WHERE …)`: the database reads the matching property
   * rows first, good when few match. `'exists'` is a correlated `EXISTS (… WHERE owner = t.id
   * …)`: the database walks the nodes in the query's order and probes each, stopping at the
   * LIMIT, good when many match. `owners` is the `'in'` form's subquery (SQL and values),
   * so a caller can count its rows first and decide.
   */
  propertyForm?: (owners: CompiledFilter) => 'in' | 'exists'
}

const typeKinds: Record<FilterEntity, string> = {
  artifact: 'ARTIFACT',
  execution: 'EXECUTION',
  context: 'CONTEXT',
}
// SQLite refuses expressions deeper than 1000; long OR lists are split into a balanced tree.
const flatLimit = 16

function fail(
  leaf: FilterLeaf,
  problem: string,
  entity: FilterEntity,
): LoreError {
  const field = leaf.field.path.join('.')
  return invalidFilter(problem, leaf.field.position, undefined, {
    entity,
    field,
  })
}

/** `column <op> ?`, `column IN (?, ?)`, `column LIKE ?` or `column IS NULL` for one leaf. */
function test(column: string, leaf: FilterLeaf): CompiledFilter {
  const encode = (value: FilterValue) =>
    typeof value === 'boolean' ? Number(value) : value
  const not = leaf.kind !== 'comparison' && leaf.negated ? 'NOT ' : ''
  switch (leaf.kind) {
    case 'comparison':
      // The operator is the one piece of a node that lands in the SQL text; trees can be
      // built by hand, so the type alone does not keep it safe.
      if (!comparisonOperators.includes(leaf.operator)) {
        throw new LoreError(
          'INVALID_ARGUMENT',
          `compileFilter: unknown operator ${JSON.stringify(leaf.operator)}; use one of ${comparisonOperators.join(' ')}`,
        )
      }
      return {
        sql: `${column} ${leaf.operator} ?`,
        params: [encode(leaf.value)],
      }
    case 'in':
      return {
        sql: `${column} ${not}IN (${leaf.values.map(() => '?').join(', ')})`,
        params: leaf.values.map(encode),
      }
    case 'like':
      return { sql: `${column} ${not}LIKE ?`, params: [leaf.pattern] }
    case 'null':
      return { sql: `${column} IS ${not}NULL`, params: [] }
  }
}

/** A test on a column or on the name of the node's type. */
function nodeFieldTest(
  table: string,
  field: NodeField,
  typeKind: string,
  leaf: FilterLeaf,
): CompiledFilter {
  if (field.kind === 'attribute') return test(`${table}.${field.column}`, leaf)
  // Every node has exactly one type, so `type != 'X'` is "the type's name is not X".
  const name = test('name', leaf)
  return {
    sql: `${table}.type_id IN (SELECT id FROM lore_type WHERE kind = ? AND ${name.sql})`,
    params: [typeKind, ...name.params],
  }
}

// A property is one row per node, matched by value type: 1 never equals the string '1'.
const propertyStorage: Record<
  LiteralType,
  { kinds: string[]; column: string }
> = {
  string: { kinds: ['STRING'], column: 'string_value' },
  number: { kinds: ['INT', 'DOUBLE'], column: 'number_value' },
  boolean: { kinds: ['BOOLEAN'], column: 'number_value' },
}

function propertyTest(
  leaf: FilterLeaf,
  property: { name: string; isCustom: boolean; valueKind?: string },
  options: CompileFilterOptions,
): CompiledFilter {
  const { entity, alias } = options
  const owners = `SELECT ${entity}_id FROM ${entity}_property WHERE name = ? AND is_custom = ?`
  const params = [property.name, property.isCustom ? 1 : 0]
  const type = literalType(leaf)
  if (type === undefined) {
    const absent = leaf.kind === 'null' && !leaf.negated
    return {
      sql: `${alias}.id ${absent ? 'NOT IN' : 'IN'} (${owners})`,
      params,
    }
  }
  const storage = propertyStorage[type]
  const column = storage.column
  // MLMD's spelling names the stored kind: properties.epochs.int_value matches INTs only.
  const kinds =
    property.valueKind === 'int_value'
      ? ['INT']
      : property.valueKind === 'double_value'
        ? ['DOUBLE']
        : storage.kinds
  const condition = test(column, leaf)
  const kindList = kinds.map(() => '?').join(', ')
  const subquery: CompiledFilter = {
    sql: `${owners} AND kind IN (${kindList}) AND ${condition.sql}`,
    params: [...params, ...kinds, ...condition.params],
  }
  if (options.propertyForm?.(subquery) === 'exists') {
    // The same test, qualified: inside the subquery `name` would otherwise be ambiguous to a
    // reader (the node table has a name column too, though SQL resolves it to the inner one).
    const probe = test(`fp.${column}`, leaf)
    return {
      sql: `EXISTS (SELECT 1 FROM ${entity}_property fp WHERE fp.${entity}_id = ${alias}.id AND fp.name = ? AND fp.is_custom = ? AND fp.kind IN (${kindList}) AND ${probe.sql})`,
      params: [...params, ...kinds, ...probe.params],
    }
  }
  return { sql: `${alias}.id IN (${subquery.sql})`, params: subquery.params }
}

function linkTest(
  leaf: FilterLeaf,
  relation: LinkRelation,
  target: NodeField,
  options: CompileFilterOptions,
): CompiledFilter {
  const { entity, alias } = options
  const [table, owner, other] =
    relation === 'parent_contexts'
      ? ['parent_context', 'context_id', 'parent_context_id']
      : relation === 'child_contexts'
        ? ['parent_context', 'parent_context_id', 'context_id']
        : entity === 'artifact'
          ? ['attribution', 'artifact_id', 'context_id']
          : ['association', 'execution_id', 'context_id']
  const inner = nodeFieldTest('c', target, 'CONTEXT', leaf)
  return {
    sql: `${alias}.id IN (SELECT l.${owner} FROM ${table} l JOIN context c ON c.id = l.${other} WHERE ${inner.sql})`,
    params: inner.params,
  }
}

function compileLeaf(
  leaf: FilterLeaf,
  options: CompileFilterOptions,
  aliases: ReadonlyMap<string, AliasBinding>,
): CompiledFilter {
  const { entity, alias } = options
  const field = resolveField(leaf.field.path, entity)
  if ('problem' in field) throw fail(leaf, field.problem, entity)
  const problem = literalProblem(field, leaf)
  if (problem !== undefined) throw fail(leaf, problem, entity)
  switch (field.kind) {
    case 'attribute':
    case 'type':
      return nodeFieldTest(alias, field, typeKinds[entity], leaf)
    case 'property':
      return propertyTest(leaf, field, options)
    case 'link': {
      const bound =
        field.alias === undefined ? undefined : aliases.get(field.alias)
      if (bound !== undefined)
        return nodeFieldTest(bound.target, field.target, 'CONTEXT', leaf)
      return linkTest(leaf, field.relation, field.target, options)
    }
  }
}

function join(parts: CompiledFilter[], operator: 'AND' | 'OR'): CompiledFilter {
  if (parts.length > flatLimit) {
    const middle = Math.ceil(parts.length / 2)
    return join(
      [
        join(parts.slice(0, middle), operator),
        join(parts.slice(middle), operator),
      ],
      operator,
    )
  }
  return {
    sql: `(${parts.map((part) => part.sql).join(` ${operator} `)})`,
    params: parts.flatMap((part) => part.params),
  }
}

function compileNode(
  node: FilterNode,
  options: CompileFilterOptions,
  aliases: ReadonlyMap<string, AliasBinding>,
): CompiledFilter {
  switch (node.kind) {
    case 'and':
    case 'or':
      return join(
        node.operands.map((operand) => compileNode(operand, options, aliases)),
        node.kind === 'and' ? 'AND' : 'OR',
      )
    case 'not': {
      const operand = compileNode(node.operand, options, aliases)
      return { sql: `NOT (${operand.sql})`, params: operand.params }
    }
    default:
      return compileLeaf(node, options, aliases)
  }
}

/**
 * Compile a parsed filter into a portable SQL boolean expression over `options.alias`, with
 * `?` placeholders (the dialect rewrites them). Values, property names included, are always
 * parameters; the SQL text holds only whitelisted table and column names.
 *
 * - `type` compares the type's name; `properties.x` / `custom_properties.x` match a property
 *   whose stored kind fits the literal (numbers: INT or DOUBLE, strings: STRING, `true` /
 *   `false`: BOOLEAN), and `IS NULL` means the node has no such property.
 * - `properties.x != 1`, `NOT IN` and `NOT LIKE` match nodes that have the property with
 *   another value, like SQL on a NULL column; write `NOT (properties.x = 1)` to also match
 *   nodes without it. Likewise `contexts.name != 'a'` means "in some context not named a".
 * - `contexts.<field>` (artifacts via attribution, executions via association) and, on
 *   contexts, `parent_contexts.<field>` / `child_contexts.<field>` match if any linked
 *   context does, each condition on its own. MLMD's aliases bind conditions to one row:
 *   `contexts_a.type = 'Run' AND contexts_a.name = 'x'` needs one context that is both, and
 *   `events_0.type = INPUT` tests an event of the node (artifacts and executions).
 * - MLMD's spelling is accepted: `properties.p.int_value > 3` (the kind must match:
 *   `int_value`, `double_value`, `string_value`, `bool_value`), and unquoted enum values
 *   (`state = LIVE`, `last_known_state = COMPLETE`, `events_0.type = INPUT`).
 * - LIKE is the database's: `%` and `_` are wildcards, there is no escape character, and
 *   case sensitivity follows the database (SQLite ignores ASCII case; PostgreSQL and MySQL do
 *   not). `=` and `IN` are case-sensitive everywhere.
 *
 * Throws `INVALID_ARGUMENT` (with `details.position`) for fields the entity lacks and for
 * literals of the wrong type (`name = 5`, `id LIKE '1%'`, `properties.x > true`).
 *
 * @example
 * const { sql, params } = compileFilter(parseFilter("properties.accuracy > 0.9"), {
 *   entity: 'artifact',
 *   alias: 't',
 * })
 * // sql: t.id IN (SELECT artifact_id FROM artifact_property WHERE name = ? AND …)
 */
export function compileFilter(
  node: FilterNode,
  options: CompileFilterOptions,
): CompiledFilter {
  // Both end up in the SQL text, so they are checked even though the types say it all.
  if (!Object.hasOwn(typeKinds, options.entity)) {
    throw new LoreError(
      'INVALID_ARGUMENT',
      `compileFilter: unknown entity ${String(options.entity)}; use artifact, execution or context`,
    )
  }
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(options.alias)) {
    throw new LoreError(
      'INVALID_ARGUMENT',
      `compileFilter: alias ${JSON.stringify(options.alias)} is not a plain SQL identifier such as t`,
    )
  }
  const aliases = collectAliases(node, options.entity)
  const compiled = compileNode(node, options, aliases)
  if (aliases.size === 0) return compiled
  return {
    sql: bindAliases(compiled.sql, aliases, options.entity, options.alias),
    params: compiled.params,
  }
}
