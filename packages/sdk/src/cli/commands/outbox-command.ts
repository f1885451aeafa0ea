import { LoreError } from '@lore/store'
import { Command } from 'commander'
import { defaultOutboxLocation } from '../../outbox/outbox-location.js'
import { Outbox, type OutboxRecord } from '../../outbox/outbox.js'
import type { CliContext } from '../cli-context.js'
import { formatTable, formatTime } from '../format-values.js'
import { writeJson } from '../write-json.js'

interface OutboxOptions {
  outbox?: string
  for?: string
  json?: boolean
}

interface ChangeOptions extends OutboxOptions {
  all?: boolean
  yes?: boolean
}

function withOutbox<T>(options: OutboxOptions, use: (outbox: Outbox) => T): T {
  const outbox = new Outbox(options.outbox ?? defaultOutboxLocation())
  try {
    return use(outbox)
  } finally {
    outbox.close()
  }
}

function parseIds(
  ids: string[],
  all: boolean | undefined,
): number[] | undefined {
  if (all === true) {
    if (ids.length > 0)
      throw new LoreError(
        'INVALID_ARGUMENT',
        `give entry ids or --all, not both (got ${ids.join(' ')} and --all)`,
      )
    return undefined
  }
  if (ids.length === 0)
    throw new LoreError(
      'INVALID_ARGUMENT',
      'name the entries by id (see lore outbox list), or give --all for every dead-letter entry',
    )
  return ids.map((id) => {
    const number = Number(id)
    if (!Number.isSafeInteger(number) || number <= 0)
      throw new LoreError(
        'INVALID_ARGUMENT',
        `entry id '${id}' is not a positive whole number; take the ids from lore outbox list`,
        { details: { field: 'id', value: id } },
      )
    return number
  })
}

function missing(wanted: number[] | undefined, done: number[]): number[] {
  return (wanted ?? []).filter((id) => !done.includes(id))
}

function rowOf(record: OutboxRecord): string[] {
  return [
    String(record.id),
    record.state,
    record.store,
    record.operation,
    formatTime(record.createTime),
    String(record.attempts),
    record.lastTime === undefined ? '' : formatTime(record.lastTime),
    record.reason === undefined
      ? ''
      : `${record.code ?? ''}: ${record.reason.replace(/\s+/g, ' ')}`,
  ]
}

const outboxHelp = 'the outbox file; default LORE_OUTBOX, else .lore/outbox.db'

/**
 * `lore outbox list|retry|drop`: what a recorder kept because its store could not take it —
 * entries waiting to be sent (with why the last attempt failed), and those a store refused
 * as invalid (the dead-letter table), which are sent again only after `retry`.
 */
export function outboxCommand(context: CliContext): Command {
  const command = new Command('outbox').description(
    'show and manage records kept for a store that could not take them',
  )
  command
    .command('list')
    .description(
      'list waiting and dead-letter entries: id, state, store url, write, time kept, attempts, last reason',
    )
    .option('--outbox <file>', outboxHelp)
    .option('--for <url>', "only this store's entries")
    .option('--json', 'print JSON')
    .action((options: OutboxOptions) => {
      withOutbox(options, (outbox) => {
        const records = outbox.list(options.for)
        if (options.json === true) {
          writeJson(context.io, records)
          return
        }
        if (records.length === 0) {
          context.io.stdout(`nothing waits in ${outbox.path}\n`)
          return
        }
        context.io.stdout(
          `${formatTable(
            [
              'ID',
              'STATE',
              'STORE',
              'WRITE',
              'KEPT',
              'ATTEMPTS',
              'LAST',
              'REASON',
            ],
            records.map(rowOf),
          )}\n`,
        )
        const dead = records.filter((record) => record.state === 'dead').length
        if (dead > 0)
          context.io.stderr(
            `lore: ${dead} entr${dead === 1 ? 'y was' : 'ies were'} refused as invalid; send again with: lore outbox retry <id>, or delete with: lore outbox drop <id> --yes\n`,
          )
      })
    })
  command
    .command('retry')
    .description(
      'move dead-letter entries back to be sent again (after those waiting now)',
    )
    .argument('[ids...]', 'entry ids (see lore outbox list)')
    .option('--all', 'every dead-letter entry')
    .option('--outbox <file>', outboxHelp)
    .option('--for <url>', "only this store's entries")
    .action((ids: string[], options: ChangeOptions) => {
      const wanted = parseIds(ids, options.all)
      withOutbox(options, (outbox) => {
        const moved = outbox.retry(wanted, options.for)
        const notFound = missing(wanted, moved)
        context.io.stdout(
          `${moved.length} entr${moved.length === 1 ? 'y' : 'ies'} will be sent again by the next recorder of their store (or drainOutbox()), or OpenLineage emitter of their receiver\n`,
        )
        if (notFound.length > 0)
          throw new LoreError(
            'NOT_FOUND',
            `no dead-letter entry ${notFound.join(', ')} in ${outbox.path}; see lore outbox list`,
          )
      })
    })
  command
    .command('drop')
    .description(
      'delete entries for good (dead-letter ones, or waiting ones by id)',
    )
    .argument('[ids...]', 'entry ids (see lore outbox list)')
    .option('--all', 'every dead-letter entry')
    .option('--yes', 'really delete: the records are lost')
    .option('--outbox <file>', outboxHelp)
    .option('--for <url>', "only this store's entries")
    .action((ids: string[], options: ChangeOptions) => {
      const wanted = parseIds(ids, options.all)
      if (options.yes !== true)
        throw new LoreError(
          'FAILED_PRECONDITION',
          `dropping deletes the records for good; add --yes to confirm (lore outbox drop ${options.all === true ? '--all' : ids.join(' ')} --yes)`,
        )
      withOutbox(options, (outbox) => {
        const dropped = outbox.drop(wanted, options.for)
        const notFound = missing(wanted, dropped)
        context.io.stdout(
          `${dropped.length} entr${dropped.length === 1 ? 'y' : 'ies'} deleted from ${outbox.path}\n`,
        )
        if (notFound.length > 0)
          throw new LoreError(
            'NOT_FOUND',
            `no entry ${notFound.join(', ')} in ${outbox.path}; see lore outbox list`,
          )
      })
    })
  return command
}
