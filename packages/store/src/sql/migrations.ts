import { uniqueNodeName } from '../unique-node-name.js'
import type { Connection, DialectAdapter } from './dialect.js'

/** One step of the schema's history. Migrations are never edited once released: add one. */
export interface Migration {
  version: number
  description: string
  /** Work done before the statements, for what SQL alone cannot write portably. */
  prepare?(connection: Connection): Promise<void>
  statements(adapter: DialectAdapter): string[]
}

/**
 * Give every artifact and execution that shares its type and name with an older one a name
 * of its own (the old name and a suffix made from its external id or id, as
 * `uniqueNodeName` makes), so that the unique index on type and name can be built. The oldest
 * keeps its name. Lore before schema 5 named executions after their step, so a database
 * written by it holds many.
 */
async function renameDuplicateNodes(connection: Connection): Promise<void> {
  for (const table of ['artifact', 'execution']) {
    const rows = await connection.query<{
      id: number
      name: string
      external_id: string | null
    }>(
      `SELECT t.id, t.name, t.external_id FROM ${table} t WHERE t.name IS NOT NULL AND EXISTS (SELECT 1 FROM ${table} o WHERE o.type_id = t.type_id AND o.name = t.name AND o.id < t.id) ORDER BY t.id`,
    )
    for (const row of rows) {
      await connection.execute(`UPDATE ${table} SET name = ? WHERE id = ?`, [
        uniqueNodeName(row.name, row.external_id ?? `${table}:${row.id}`),
        Number(row.id),
      ])
    }
  }
}

const propertyTable = (adapter: DialectAdapter, owner: string): string[] => [
  `CREATE TABLE ${owner}_property (
    ${owner}_id ${adapter.bigintColumn} NOT NULL REFERENCES ${owner}(id) ON DELETE CASCADE,
    name ${adapter.keyColumn} NOT NULL,
    is_custom ${adapter.bigintColumn} NOT NULL,
    kind ${adapter.keyColumn} NOT NULL,
    number_value ${adapter.doubleColumn},
    string_value ${adapter.textColumn},
    PRIMARY KEY (${owner}_id, name, is_custom)
  )`,
  `CREATE INDEX ${owner}_property_number ON ${owner}_property (name, is_custom, number_value)`,
  `CREATE INDEX ${owner}_property_string ON ${owner}_property (name, is_custom, ${adapter.indexedText('string_value')})`,
]

const nodeTimes = (adapter: DialectAdapter): string =>
  `create_time_since_epoch ${adapter.bigintColumn} NOT NULL,
    last_update_time_since_epoch ${adapter.bigintColumn} NOT NULL`

/** The schema's history, oldest first. The last entry is the version a new database gets. */
export const migrations: readonly Migration[] = [
  {
    version: 1,
    description:
      'types, artifacts, executions, contexts, events and the context links',
    statements: (adapter) => [
      `CREATE TABLE lore_type (
        id ${adapter.idColumn},
        kind ${adapter.keyColumn} NOT NULL,
        name ${adapter.keyColumn} NOT NULL,
        version ${adapter.keyColumn} NOT NULL,
        description ${adapter.textColumn},
        external_id ${adapter.keyColumn} UNIQUE,
        base_type ${adapter.keyColumn},
        UNIQUE (kind, name, version)
      )`,
      `CREATE TABLE lore_type_property (
        type_id ${adapter.bigintColumn} NOT NULL REFERENCES lore_type(id),
        name ${adapter.keyColumn} NOT NULL,
        data_type ${adapter.keyColumn} NOT NULL,
        PRIMARY KEY (type_id, name)
      )`,
      `CREATE TABLE artifact (
        id ${adapter.idColumn},
        type_id ${adapter.bigintColumn} NOT NULL REFERENCES lore_type(id),
        uri ${adapter.keyColumn},
        name ${adapter.keyColumn},
        version ${adapter.keyColumn},
        external_id ${adapter.keyColumn} UNIQUE,
        fingerprint ${adapter.keyColumn},
        state ${adapter.keyColumn} NOT NULL,
        ${nodeTimes(adapter)}
      )`,
      `CREATE INDEX artifact_type ON artifact (type_id)`,
      `CREATE INDEX artifact_uri ON artifact (uri)`,
      `CREATE INDEX artifact_name ON artifact (name)`,
      `CREATE INDEX artifact_create_time ON artifact (create_time_since_epoch)`,
      `CREATE INDEX artifact_update_time ON artifact (last_update_time_since_epoch)`,
      ...propertyTable(adapter, 'artifact'),
      `CREATE TABLE execution (
        id ${adapter.idColumn},
        type_id ${adapter.bigintColumn} NOT NULL REFERENCES lore_type(id),
        name ${adapter.keyColumn},
        external_id ${adapter.keyColumn} UNIQUE,
        last_known_state ${adapter.keyColumn} NOT NULL,
        start_time_since_epoch ${adapter.bigintColumn},
        end_time_since_epoch ${adapter.bigintColumn},
        error ${adapter.textColumn},
        cache_key ${adapter.keyColumn},
        code_version ${adapter.keyColumn},
        ${nodeTimes(adapter)}
      )`,
      `CREATE INDEX execution_type ON execution (type_id)`,
      `CREATE INDEX execution_name ON execution (name)`,
      `CREATE INDEX execution_create_time ON execution (create_time_since_epoch)`,
      `CREATE INDEX execution_update_time ON execution (last_update_time_since_epoch)`,
      ...propertyTable(adapter, 'execution'),
      `CREATE TABLE context (
        id ${adapter.idColumn},
        type_id ${adapter.bigintColumn} NOT NULL REFERENCES lore_type(id),
        name ${adapter.keyColumn} NOT NULL,
        external_id ${adapter.keyColumn} UNIQUE,
        ${nodeTimes(adapter)},
        UNIQUE (type_id, name)
      )`,
      `CREATE INDEX context_name ON context (name)`,
      `CREATE INDEX context_create_time ON context (create_time_since_epoch)`,
      `CREATE INDEX context_update_time ON context (last_update_time_since_epoch)`,
      ...propertyTable(adapter, 'context'),
      `CREATE TABLE event (
        id ${adapter.idColumn},
        artifact_id ${adapter.bigintColumn} NOT NULL REFERENCES artifact(id),
        execution_id ${adapter.bigintColumn} NOT NULL REFERENCES execution(id),
        type ${adapter.keyColumn} NOT NULL,
        path ${adapter.keyColumn} NOT NULL,
        milliseconds_since_epoch ${adapter.bigintColumn} NOT NULL,
        UNIQUE (execution_id, artifact_id, type, path)
      )`,
      `CREATE INDEX event_artifact ON event (artifact_id, type)`,
      `CREATE TABLE attribution (
        context_id ${adapter.bigintColumn} NOT NULL REFERENCES context(id),
        artifact_id ${adapter.bigintColumn} NOT NULL REFERENCES artifact(id),
        PRIMARY KEY (context_id, artifact_id)
      )`,
      `CREATE INDEX attribution_artifact ON attribution (artifact_id)`,
      `CREATE TABLE association (
        context_id ${adapter.bigintColumn} NOT NULL REFERENCES context(id),
        execution_id ${adapter.bigintColumn} NOT NULL REFERENCES execution(id),
        PRIMARY KEY (context_id, execution_id)
      )`,
      `CREATE INDEX association_execution ON association (execution_id)`,
      `CREATE TABLE parent_context (
        context_id ${adapter.bigintColumn} NOT NULL REFERENCES context(id),
        parent_context_id ${adapter.bigintColumn} NOT NULL REFERENCES context(id),
        PRIMARY KEY (context_id, parent_context_id)
      )`,
      `CREATE INDEX parent_context_parent ON parent_context (parent_context_id)`,
    ],
  },
  {
    version: 2,
    description: 'metric series; indexes for fingerprints and cache keys',
    statements: (adapter) => [
      `CREATE TABLE metric (
        id ${adapter.idColumn},
        execution_id ${adapter.bigintColumn} REFERENCES execution(id),
        context_id ${adapter.bigintColumn} REFERENCES context(id),
        metric_key ${adapter.keyColumn} NOT NULL,
        value ${adapter.doubleColumn} NOT NULL,
        step ${adapter.bigintColumn} NOT NULL,
        timestamp_ms ${adapter.bigintColumn} NOT NULL
      )`,
      `CREATE INDEX metric_execution ON metric (execution_id, metric_key, step)`,
      `CREATE INDEX metric_context ON metric (context_id, metric_key, step)`,
      `CREATE INDEX artifact_fingerprint ON artifact (fingerprint)`,
      `CREATE INDEX execution_cache_key ON execution (cache_key)`,
    ],
  },
  {
    version: 3,
    description:
      'covering indexes for numeric property filters: no table lookup per match',
    statements: (adapter) =>
      ['artifact', 'execution', 'context'].flatMap((owner) => [
        adapter.dropIndex(`${owner}_property_number`, `${owner}_property`),
        `CREATE INDEX ${owner}_property_number ON ${owner}_property (name, is_custom, kind, number_value, ${owner}_id)`,
      ]),
  },
  {
    version: 4,
    description:
      'client-made ids on metric points, so a resent point is stored once',
    statements: (adapter) => [
      `ALTER TABLE metric ADD COLUMN external_id ${adapter.keyColumn}`,
      `CREATE UNIQUE INDEX metric_external_id ON metric (external_id)`,
    ],
  },
  {
    version: 5,
    description:
      "an artifact's or execution's name is unique within its type, as in MLMD",
    prepare: renameDuplicateNodes,
    statements: () => [
      `CREATE UNIQUE INDEX artifact_type_name ON artifact (type_id, name)`,
      `CREATE UNIQUE INDEX execution_type_name ON execution (type_id, name)`,
    ],
  },
  {
    version: 6,
    description:
      'covering indexes for string property filters: the stored kind and the node id beside the value, over rows that hold a string',
    statements: (adapter) =>
      ['artifact', 'execution', 'context'].flatMap((owner) => [
        adapter.dropIndex(`${owner}_property_string`, `${owner}_property`),
        // 250 characters where the index takes a prefix: MySQL's keys hold 3,072 bytes, and
        // name and kind take 1,020 each in utf8mb4.
        // Only rows with a string: a number's row has none, and its entry would only cost bytes
        // (a filter's `string_value = ?` implies the condition, so the planner still uses it).
        `CREATE INDEX ${owner}_property_string ON ${owner}_property (name, is_custom, kind, ${adapter.indexedText('string_value', 250)}, ${owner}_id)${adapter.supportsPartialIndexes ? ' WHERE string_value IS NOT NULL' : ''}`,
      ]),
  },
  {
    version: 7,
    description:
      'covering event index for downstream lineage: the execution beside the artifact, so a walk step from an artifact reads no event row',
    statements: (adapter) => [
      // Built before the old index is dropped: MySQL keeps an index on a foreign key's column.
      `CREATE INDEX event_artifact_execution ON event (artifact_id, type, execution_id)`,
      adapter.dropIndex('event_artifact', 'event'),
    ],
  },
]

/** The schema version a database written by this code has. */
export const latestSchemaVersion = migrations.at(-1)?.version ?? 0
