import { LoreError } from '../lore-error.js'
import type { Connection, DialectAdapter, Driver } from './dialect.js'
import { latestSchemaVersion, migrations } from './migrations.js'

/**
 * Bring the database to `target` (the latest schema by default) under the dialect's migration
 * lock, so that stores opening one database together migrate it once: the first migrates, the
 * others wait and find it done. Where DDL is transactional it all happens in one transaction;
 * elsewhere (MySQL) statement by statement on the connection that holds the lock. A new
 * database gets every migration; an older one the missing ones; a newer one is refused.
 * Returns the version the database now has.
 */
export async function migrate(
  driver: Driver,
  adapter: DialectAdapter,
  location: string,
  target = latestSchemaVersion,
): Promise<number> {
  if (adapter.supportsTransactionalDdl) {
    return driver.transaction(async (connection) => {
      await adapter.acquireMigrationLock(connection)
      return migrateLocked(connection, adapter, location, target)
    })
  }
  return driver.connection(async (connection) => {
    await adapter.acquireMigrationLock(connection)
    let version: number
    try {
      version = await migrateLocked(connection, adapter, location, target)
    } catch (error) {
      // The migration's error says more than a failed release on what may be a dead connection.
      await adapter.releaseMigrationLock(connection).catch(() => {})
      throw error
    }
    await adapter.releaseMigrationLock(connection)
    return version
  })
}

async function migrateLocked(
  connection: Connection,
  adapter: DialectAdapter,
  location: string,
  target: number,
): Promise<number> {
  await connection.execute(
    `CREATE TABLE IF NOT EXISTS lore_schema (version ${adapter.bigintColumn} NOT NULL)`,
  )
  const [row] = await connection.query<{ version: number }>(
    'SELECT version FROM lore_schema',
  )
  const current = row === undefined ? 0 : Number(row.version)
  if (current > latestSchemaVersion) {
    throw new LoreError(
      'FAILED_PRECONDITION',
      `${location} has schema version ${current}, but this version of Lore knows versions up to ${latestSchemaVersion}; upgrade @lore/store to open it`,
      { details: { schemaVersion: current, supported: latestSchemaVersion } },
    )
  }
  if (row === undefined)
    await connection.execute('INSERT INTO lore_schema (version) VALUES (0)')
  for (const migration of migrations) {
    if (migration.version <= current || migration.version > target) continue
    await migration.prepare?.(connection)
    for (const statement of migration.statements(adapter))
      await connection.execute(statement)
    await connection.execute('UPDATE lore_schema SET version = ?', [
      migration.version,
    ])
  }
  return Math.max(current, Math.min(target, latestSchemaVersion))
}
