import { compileFilter, parseFilter } from '../filter/index.js'
import type { CompiledFilter } from '../filter/filter-compiler.js'
import type { FilterNode } from '../filter/filter-node.js'
import { checkFilterLimits } from '../filter/filter-limits.js'
import { LoreError } from '../lore-error.js'
import {
  maxPageSize,
  type listQuerySchema,
  type Page,
} from '../request-schemas.js'
import type { z } from 'zod'
import type { Connection, Row } from './dialect.js'
import type { NodeTable } from './node-tables.js'
import { decodeProperties, type PropertyRow } from './property-codec.js'
import { decodePageToken, encodePageToken, queryDigest } from './page-token.js'

type ListQuery = z.output<typeof listQuerySchema>

const orderColumns = {
  id: 't.id',
  createTime: 't.create_time_since_epoch',
  lastUpdateTime: 't.last_update_time_since_epoch',
  // Unnamed nodes sort first; COALESCE keeps the keyset comparison free of NULLs.
  name: "COALESCE(t.name, '')",
} as const

/** How a page is sorted: the SQL of each row's order value, the join that reads it, its type. */
interface PageOrder {
  column: string
  join: string
  joinParams: unknown[]
  valueType: 'string' | 'number' | 'double'
}

/*
 * A property's value is read by one LEFT JOIN on the property table's primary key; COALESCE
 * gives nodes without it a value below every real one, so the keyset comparison of the next
 * page never meets a NULL. Numbers and strings live in different columns, so the property's
 * kind (the first stored row's) picks the column.
 */
async function pageOrder(
  connection: Connection,
  table: NodeTable,
  orderBy: ListQuery['orderBy'] = 'id',
): Promise<PageOrder> {
  if (Object.hasOwn(orderColumns, orderBy)) {
    const field = orderBy as keyof typeof orderColumns
    return {
      column: orderColumns[field],
      join: '',
      joinParams: [],
      valueType: field === 'name' ? 'string' : 'number',
    }
  }
  const dot = orderBy.indexOf('.')
  const isCustom = orderBy.slice(0, dot) === 'customProperties' ? 1 : 0
  const name = orderBy.slice(dot + 1)
  const [stored] = await connection.query<{ kind: string }>(
    `SELECT kind FROM ${table.propertyTable} WHERE name = ? AND is_custom = ? LIMIT 1`,
    [name, isCustom],
  )
  const numeric =
    stored !== undefined && ['INT', 'DOUBLE', 'BOOLEAN'].includes(stored.kind)
  return {
    column: numeric
      ? 'COALESCE(o.number_value, -1e300)'
      : "COALESCE(o.string_value, '')",
    join: `LEFT JOIN ${table.propertyTable} o ON o.${table.ownerColumn} = t.id AND o.name = ? AND o.is_custom = ?`,
    joinParams: [name, isCustom],
    valueType: numeric ? 'double' : 'string',
  }
}

const placeholders = (count: number): string =>
  Array.from({ length: count }, () => '?').join(', ')

/** The most ids one statement's IN list binds, under every dialect's parameter limit. */
export const idsPerStatement = 4096

const paddedLists = new Map<number, string>()

/**
 * The placeholders of an IN list of these ids and their values, padded with the last id to a
 * power of two (above 4,096, to a multiple of 4,096). A read of thousands of nodes has a new
 * count of ids each time, and a statement of a new text is prepared again: on SQLite that
 * took about 1 ms for 2,400 ids, and as long again for the read worker's JSON form, per
 * statement, several statements a lineage read. Padded, a few texts serve every count; a
 * repeated id changes nothing an IN list matches.
 */
export function idList(ids: readonly number[]): {
  sql: string
  params: number[]
} {
  if (ids.length === 0) return { sql: 'NULL', params: [] }
  const size =
    ids.length <= idsPerStatement
      ? 2 ** Math.ceil(Math.log2(ids.length))
      : Math.ceil(ids.length / idsPerStatement) * idsPerStatement
  let sql = paddedLists.get(size)
  if (sql === undefined) {
    sql = placeholders(size)
    paddedLists.set(size, sql)
  }
  const params = ids.slice()
  const last = ids[ids.length - 1]!
  while (params.length < size) params.push(last)
  return { sql, params }
}

/**
 * The rows of `sql(list)` for these ids: one statement per {@link idsPerStatement} of them,
 * each IN list padded by {@link idList}, with `params` bound after the list's values.
 *
 * @example
 * await queryByIds(connection, ids, (list) => `SELECT * FROM event WHERE execution_id IN (${list})`)
 */
export async function queryByIds<T extends object>(
  connection: Connection,
  ids: readonly number[],
  sql: (list: string) => string,
  params: readonly unknown[] = [],
): Promise<T[]> {
  const rows: T[] = []
  for (let start = 0; start < ids.length; start += idsPerStatement) {
    const chunk = idList(ids.slice(start, start + idsPerStatement))
    rows.push(
      ...(await connection.query<T>(sql(chunk.sql), [
        ...chunk.params,
        ...params,
      ])),
    )
  }
  return rows
}

/** The property rows of these nodes. */
function propertyRowsOf(
  connection: Connection,
  table: NodeTable,
  ids: readonly number[],
): Promise<(PropertyRow & Row)[]> {
  return queryByIds<PropertyRow & Row>(
    connection,
    ids,
    (list) =>
      `SELECT * FROM ${table.propertyTable} WHERE ${table.ownerColumn} IN (${list})`,
  )
}

/** Node rows and their property rows as records, in the rows' order. */
function nodeRecords<T>(
  table: NodeTable,
  rows: Row[],
  propertyRows: (PropertyRow & Row)[],
): T[] {
  const byOwner = new Map<number, PropertyRow[]>()
  for (const row of propertyRows) {
    const owner = Number(row[table.ownerColumn])
    const owned = byOwner.get(owner)
    if (owned === undefined) byOwner.set(owner, [row])
    else owned.push(row)
  }
  // How each column reads, worked out once for all rows rather than per row and column.
  const fields = Object.entries(table.columns).map(([key, column]) => ({
    key,
    column,
    form: table.jsonFields.has(key)
      ? 'json'
      : key.endsWith('SinceEpoch')
        ? 'number'
        : 'value',
  }))
  return rows.map((row) => {
    const id = Number(row.id)
    const record: Record<string, unknown> = {
      id,
      typeId: Number(row.type_id),
      type: row.type_name,
    }
    for (const { key, column, form } of fields) {
      const value = row[column]
      if (value === null || value === undefined) continue
      record[key] =
        form === 'json'
          ? JSON.parse(String(value))
          : form === 'number'
            ? Number(value)
            : value
    }
    Object.assign(record, decodeProperties(byOwner.get(id) ?? []))
    record.createTimeSinceEpoch = Number(row.create_time_since_epoch)
    record.lastUpdateTimeSinceEpoch = Number(row.last_update_time_since_epoch)
    return record as T
  })
}

/** Turn node rows into records, with their properties, in the rows' order. */
export async function hydrateNodes<T>(
  connection: Connection,
  table: NodeTable,
  rows: Row[],
): Promise<T[]> {
  if (rows.length === 0) return []
  const ids = rows.map((row) => Number(row.id))
  return nodeRecords<T>(
    table,
    rows,
    await propertyRowsOf(connection, table, ids),
  )
}

/**
 * Nodes by id, ordered by id; missing ids are left out. The node rows and their
 * properties are read side by side: on SQLite each goes to its own read worker, elsewhere
 * to its own pooled connection.
 */
export async function getNodesByIds<T>(
  connection: Connection,
  table: NodeTable,
  ids: readonly number[],
): Promise<T[]> {
  if (ids.length === 0) return []
  const [rows, propertyRows] = await Promise.all([
    queryByIds<Row>(
      connection,
      ids,
      (list) =>
        `SELECT t.*, ty.name AS type_name FROM ${table.table} t JOIN lore_type ty ON ty.id = t.type_id WHERE t.id IN (${list}) ORDER BY t.id`,
    ),
    propertyRowsOf(connection, table, ids),
  ])
  return nodeRecords<T>(table, rows, propertyRows)
}

function membership(
  table: NodeTable,
  query: ListQuery,
): { sql: string; params: unknown[] }[] {
  const conditions: { sql: string; params: unknown[] }[] = []
  const only = (field: string, entity: string): void => {
    if (table.entity !== entity) {
      throw new LoreError(
        'INVALID_ARGUMENT',
        `${field} can only be used to list ${entity}s, not ${table.entity}s`,
      )
    }
  }
  if (query.contextId !== undefined) {
    if (table.entity === 'context') {
      throw new LoreError(
        'INVALID_ARGUMENT',
        'contextId lists artifacts or executions; for contexts use getChildContexts()',
      )
    }
    const link = table.entity === 'artifact' ? 'attribution' : 'association'
    conditions.push({
      sql: `t.id IN (SELECT ${table.ownerColumn} FROM ${link} WHERE context_id = ?)`,
      params: [query.contextId],
    })
  }
  if (query.artifactId !== undefined) {
    only('artifactId', 'context')
    conditions.push({
      sql: 't.id IN (SELECT context_id FROM attribution WHERE artifact_id = ?)',
      params: [query.artifactId],
    })
  }
  if (query.executionId !== undefined) {
    only('executionId', 'context')
    conditions.push({
      sql: 't.id IN (SELECT context_id FROM association WHERE execution_id = ?)',
      params: [query.executionId],
    })
  }
  if (query.uri !== undefined) {
    only('uri', 'artifact')
    conditions.push({ sql: 't.uri = ?', params: [query.uri] })
  }
  return conditions
}

const subqueryKey = (owners: CompiledFilter): string =>
  JSON.stringify([owners.sql, owners.params])

/** The property tests of a filter that compare values, as `'in'` subqueries. */
function propertyTestsOf(
  table: NodeTable,
  filter: ReturnType<typeof parseFilter>,
): CompiledFilter[] {
  const tests: CompiledFilter[] = []
  compileFilter(filter, {
    entity: table.entity,
    alias: 't',
    propertyForm: (owners) => {
      tests.push(owners)
      return 'in'
    },
  })
  return tests
}

/**
 * The property tests of a filter that match so many nodes that probing nodes in page order
 * beats reading every match first. Reading the matches costs one index entry per match;
 * probing costs about `limit × nodes / matches` lookups. So each test's matches are counted
 * on its covering index, stopping at the point where the two costs cross (about
 * `√(limit × nodes)`, 10,000 for a page of 100 among 1,000,000 nodes): the count is
 * bounded, and no test reads all its matches before the LIMIT applies. `nodes` is the
 * table's highest id.
 */
async function largePropertyTests(
  connection: Connection,
  table: NodeTable,
  filter: ReturnType<typeof parseFilter>,
  limit: number,
  nodes: number,
): Promise<Set<string>> {
  const large = new Set<string>()
  const crossing = Math.max(1000, Math.ceil(Math.sqrt((limit + 1) * nodes)))
  for (const owners of uniqueTests(propertyTestsOf(table, filter))) {
    const [row] = await connection.query<{ n: number }>(
      `SELECT COUNT(*) AS n FROM (${owners.sql} LIMIT ?) m`,
      [...owners.params, crossing],
    )
    if (Number(row?.n ?? 0) >= crossing) large.add(subqueryKey(owners))
  }
  return large
}

/** Each test once, by its SQL and values. */
function uniqueTests(tests: CompiledFilter[]): CompiledFilter[] {
  const seen = new Map<string, CompiledFilter>()
  for (const owners of tests) seen.set(subqueryKey(owners), owners)
  return [...seen.values()]
}

/**
 * In one statement: the table's lowest and highest ids, and whether every property test of
 * the filter has fewer than `window` matches (each counted on its index, stopping there).
 */
async function idRangeAndFewMatches(
  connection: Connection,
  table: NodeTable,
  tests: CompiledFilter[],
  window: number,
): Promise<{ low: number; high: number; fewMatches: boolean }> {
  const counts = uniqueTests(tests)
  const [row] = await connection.query<Row>(
    `SELECT (SELECT MIN(id) FROM ${table.table}) AS low, (SELECT MAX(id) FROM ${table.table}) AS high${counts
      .map(
        (owners, index) =>
          `, (SELECT COUNT(*) FROM (${owners.sql} LIMIT ?) m${index}) AS n${index}`,
      )
      .join('')}`,
    counts.flatMap((owners) => [...owners.params, window]),
  )
  return {
    low: Number(row?.low ?? 1),
    high: Number(row?.high ?? 0),
    fewMatches: counts.every((_, index) => Number(row?.[`n${index}`]) < window),
  }
}

/**
 * One page of nodes matching a list query, ordered, with keyset paging; without a limit,
 * every matching node, read {@link maxPageSize} at a time.
 */
export async function listNodes<T>(
  connection: Connection,
  table: NodeTable,
  query: ListQuery,
): Promise<Page<T>> {
  if (query.limit !== undefined)
    return listPage<T>(connection, table, { ...query, limit: query.limit })
  const items: T[] = []
  let pageToken = query.pageToken
  do {
    const page: Page<T> = await listPage<T>(connection, table, {
      ...query,
      limit: maxPageSize,
      ...(pageToken === undefined ? {} : { pageToken }),
    })
    items.push(...page.items)
    pageToken = page.nextPageToken
  } while (pageToken !== undefined)
  return { items }
}

/**
 * The SQL of one page of a list query (`limit + 1` rows, to tell whether another page
 * follows), and what paging needs. Exported for the planner tests.
 */
export async function listPageQuery(
  connection: Connection,
  table: NodeTable,
  query: ListQuery & { limit: number },
  plan: PagePlan = {},
): Promise<{ sql: string; params: unknown[]; digest: string }> {
  const conditions = membership(table, query)
  if (query.ids !== undefined) {
    conditions.push({
      sql: `t.id IN (${placeholders(query.ids.length)})`,
      params: query.ids,
    })
  }
  if (query.externalIds !== undefined) {
    conditions.push({
      sql: `t.external_id IN (${placeholders(query.externalIds.length)})`,
      params: query.externalIds,
    })
  }
  if (query.type !== undefined) {
    conditions.push({
      sql: 'ty.kind = ? AND ty.name = ?',
      params: [table.typeKind, query.type],
    })
  }
  if (query.typeVersion !== undefined) {
    if (query.type === undefined) {
      throw new LoreError(
        'INVALID_ARGUMENT',
        `typeVersion '${query.typeVersion}' is given without type; give the type's name too, or its typeId`,
        { details: { field: 'typeVersion' } },
      )
    }
    conditions.push({ sql: 'ty.version = ?', params: [query.typeVersion] })
  }
  if (query.typeId !== undefined)
    conditions.push({ sql: 't.type_id = ?', params: [query.typeId] })
  if (query.name !== undefined)
    conditions.push({ sql: 't.name = ?', params: [query.name] })
  if (query.filter !== undefined && query.filter.trim() !== '') {
    const parsed = plan.filter ?? checkFilterLimits(parseFilter(query.filter))
    const large = plan.probeAll
      ? undefined
      : plan.readMatchesFirst
        ? new Set<string>()
        : await largePropertyTests(
            connection,
            table,
            parsed,
            query.limit,
            plan.highestId ?? (await highestId(connection, table)),
          )
    conditions.push(
      compileFilter(parsed, {
        entity: table.entity,
        alias: 't',
        propertyForm: (owners) =>
          large === undefined || large.has(subqueryKey(owners))
            ? 'exists'
            : 'in',
      }),
    )
  }
  // A probing page walks the id range; otherwise the range only trims the matches read from
  // a property index, and `+` keeps SQLite from walking the range instead of using them.
  const id = plan.probeAll ? 't.id' : '+t.id'
  if (plan.above !== undefined)
    conditions.push({ sql: `${id} > ?`, params: [plan.above] })
  if (plan.atMost !== undefined)
    conditions.push({ sql: `${id} <= ?`, params: [plan.atMost] })
  const { pageToken, limit, ...stable } = query
  const digest = queryDigest([table.entity, stable])
  const order = await pageOrder(connection, table, query.orderBy)
  const column = order.column
  if (pageToken !== undefined) {
    const cursor = decodePageToken(pageToken, digest, order.valueType)
    const after = query.descending ? '<' : '>'
    conditions.push(
      column === 't.id'
        ? { sql: `t.id ${after} ?`, params: [cursor.id] }
        : {
            sql: `(${column} ${after} ? OR (${column} = ? AND t.id ${after} ?))`,
            params: [cursor.value, cursor.value, cursor.id],
          },
    )
  }
  const direction = query.descending ? 'DESC' : 'ASC'
  const where =
    conditions.length > 0
      ? `WHERE ${conditions.map((condition) => `(${condition.sql})`).join(' AND ')}`
      : ''
  return {
    sql: `SELECT t.*, ty.name AS type_name, ${column} AS order_value FROM ${table.table} t JOIN lore_type ty ON ty.id = t.type_id ${order.join} ${where} ORDER BY ${column === 't.id' ? '' : `${column} ${direction}, `}t.id ${direction} LIMIT ?`,
    params: [
      ...order.joinParams,
      ...conditions.flatMap((condition) => condition.params),
      plan.rows ?? limit + 1,
    ],
    digest,
  }
}

/** How {@link listPageQuery} writes a page's SQL, beyond what the query says. */
export interface PagePlan {
  /** The query's filter, parsed and checked already. */
  filter?: FilterNode | undefined
  /** Write every property test as a probe in page order, without counting matches. */
  probeAll?: boolean
  /** Read every property test's matches from its index first, without counting them. */
  readMatchesFirst?: boolean
  /** The table's highest id, when known already (it bounds the counts of matches). */
  highestId?: number
  /** Only nodes whose id is above this (pages in ascending id order only). */
  above?: number
  /** Only nodes whose id is at most this (pages in ascending id order only). */
  atMost?: number
  /** Rows to read; `limit + 1` by default. */
  rows?: number
}

async function highestId(
  connection: Connection,
  table: NodeTable,
): Promise<number> {
  const [top] = await connection.query<{ id: number | null }>(
    `SELECT MAX(id) AS id FROM ${table.table}`,
  )
  return Number(top?.id ?? 0)
}

/**
 * The rows of one page, `limit + 1` of them when another page follows. A filter with
 * property tests, in ascending id order (the default), is read in up to three statements:
 *
 * 1. The table's id range, and each property test's matches counted up to the window of
 *    step 2. When every test has fewer, the page is read from their indexes at once: that
 *    costs fewer index entries than step 2's probes would.
 * 2. Otherwise probe the first `3 × (limit + 1)` node ids after the cursor. When a third or
 *    more of the nodes match, the page is found there and costs at most that many lookups.
 * 3. Otherwise go on above that window: probing again when the window found one match in a
 *    hundred or more, else with each property test counted ({@link largePropertyTests}) and
 *    the few-match ones read from their index first.
 *
 * Every step lists nodes in id order, so the rows of step 2 followed by those of step 3 are
 * the same page one query would give.
 */
async function pageRows(
  connection: Connection,
  table: NodeTable,
  query: ListQuery & { limit: number },
): Promise<{ rows: Row[]; digest: string }> {
  const want = query.limit + 1
  const filter =
    query.filter === undefined || query.filter.trim() === ''
      ? undefined
      : checkFilterLimits(parseFilter(query.filter))
  const tests = filter === undefined ? [] : propertyTestsOf(table, filter)
  if (
    filter === undefined ||
    query.orderBy !== 'id' ||
    query.descending ||
    tests.length === 0
  ) {
    const { sql, params, digest } = await listPageQuery(
      connection,
      table,
      query,
      {
        filter,
      },
    )
    return { rows: await connection.query(sql, params), digest }
  }
  const window = 3 * want
  const range = await idRangeAndFewMatches(connection, table, tests, window)
  if (range.fewMatches) {
    const { sql, params, digest } = await listPageQuery(
      connection,
      table,
      query,
      { filter, readMatchesFirst: true },
    )
    return { rows: await connection.query(sql, params), digest }
  }
  // The window starts after the cursor, or before the first node.
  const { pageToken, limit: _limit, ...stable } = query
  const from =
    pageToken === undefined
      ? range.low - 1
      : decodePageToken(
          pageToken,
          queryDigest([table.entity, stable]),
          'number',
        ).id
  const atMost = from + window
  const windowed = await listPageQuery(connection, table, query, {
    filter,
    probeAll: true,
    atMost,
  })
  const rows = await connection.query(windowed.sql, windowed.params)
  if (rows.length >= want) return { rows, digest: windowed.digest }
  const rest = await listPageQuery(connection, table, query, {
    filter,
    probeAll: rows.length * 100 >= window,
    above: atMost,
    rows: want - rows.length,
    highestId: range.high,
  })
  rows.push(...(await connection.query(rest.sql, rest.params)))
  return { rows, digest: windowed.digest }
}

async function listPage<T>(
  connection: Connection,
  table: NodeTable,
  query: ListQuery & { limit: number },
): Promise<Page<T>> {
  const { rows, digest } = await pageRows(connection, table, query)
  const { limit } = query
  const page = rows.slice(0, limit)
  const items = await hydrateNodes<T>(connection, table, page)
  const last = page.at(-1)
  if (rows.length <= limit || last === undefined) return { items }
  const value = last.order_value as string | number
  return {
    items,
    nextPageToken: encodePageToken({
      value: typeof value === 'bigint' ? Number(value) : value,
      id: Number(last.id),
      query: digest,
    }),
  }
}
