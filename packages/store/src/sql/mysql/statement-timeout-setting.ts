/**
 * The session setting that cancels a statement after `milliseconds` (0: never), for the
 * server whose `SELECT VERSION()` is `version`. MariaDB's `max_statement_time` is in seconds
 * and covers every statement; MySQL's `max_execution_time` is in milliseconds and covers
 * read-only SELECTs. Neither server knows the other's variable, so one must be picked.
 *
 * @example
 * statementTimeoutSetting('10.11.6-MariaDB', 30_000) // 'max_statement_time = 30'
 */
export function statementTimeoutSetting(
  version: string,
  milliseconds: number,
): string {
  return /mariadb/i.test(version)
    ? `max_statement_time = ${milliseconds / 1000}`
    : `max_execution_time = ${Math.round(milliseconds)}`
}
