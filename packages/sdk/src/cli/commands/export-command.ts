import type { Context, MetadataStore } from '@lore/store'
import { Command, InvalidArgumentError } from 'commander'
import { buildRunEvents } from '../../openlineage/build-run-events.js'
import { resolveOpenLineageConfig } from '../../openlineage/openlineage-config.js'
import { readRunRecords } from '../../openlineage/run-records.js'
import { findRun } from '../../query/find-run.js'
import { markAbandoned } from '../../query/mark-abandoned-runs.js'
import type { CliContext } from '../cli-context.js'
import { runReferenceHelp } from '../parse-options.js'

const agoUnits: Record<string, number> = {
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
}

/**
 * Commander's parser for `--since`: an ISO date or time (`2026-12-01`, `2026-12-01T08:00Z`)
 * or a span back from now (`30m`, `12h`, `7d`); resolves to epoch milliseconds.
 */
export function parseSince(value: string, now = Date.now()): number {
  const ago = /^(\d+)\s*(m|h|d)$/.exec(value.trim())
  if (ago !== null) return now - Number(ago[1]) * agoUnits[ago[2]!]!
  const time = Date.parse(value)
  if (!Number.isFinite(time))
    throw new InvalidArgumentError(
      `expected a date such as 2026-12-01 or 2026-12-01T08:00:00Z, or a span such as 12h or 7d, got '${value}'`,
    )
  return time
}

interface ExportOptions {
  run?: string
  since?: number
  namespace?: string
}

async function runsToExport(
  store: MetadataStore,
  options: ExportOptions,
  location: string,
): Promise<Context[]> {
  if (options.run !== undefined)
    return [await findRun(store, options.run, location)]
  const runs: Context[] = []
  let pageToken: string | undefined
  do {
    const page = await store.getContexts({
      type: 'PipelineRun',
      orderBy: 'id',
      limit: 1000,
      ...(pageToken === undefined ? {} : { pageToken }),
    })
    for (const context of page.items) {
      const started = context.customProperties.startedAt
      const time =
        typeof started === 'number' ? started : context.createTimeSinceEpoch
      if (options.since === undefined || time >= options.since)
        runs.push(context)
    }
    pageToken = page.nextPageToken
  } while (pageToken !== undefined)
  return runs
}

/**
 * `lore export openlineage [--run X] [--since T]`: the OpenLineage 2-0-2 RunEvents of past
 * runs, oldest run first, as NDJSON on stdout — for `curl`-ing into Marquez, or a file a
 * catalog loads. Dead RUNNING runs are marked ABANDONED first and end with an ABORT.
 */
export function exportCommand(context: CliContext): Command {
  return new Command('export')
    .description('write recorded runs in another format')
    .addCommand(
      new Command('openlineage')
        .description(
          "write past runs' OpenLineage events as NDJSON (one RunEvent a line) to stdout",
        )
        .option('-r, --run <run>', `only this run: ${runReferenceHelp}`)
        .option(
          '--since <time>',
          'only runs started since: a date (2026-12-01), a time, or a span back (12h, 7d)',
          (value: string) => parseSince(value),
        )
        .option(
          '--namespace <name>',
          "the jobs' namespace (default OPENLINEAGE_NAMESPACE, else lore)",
        )
        .action(async (options: ExportOptions) => {
          const store = await context.store()
          const namespace =
            options.namespace ??
            resolveOpenLineageConfig({ disabled: true }).namespace
          const trainTypes = new Set(
            (await store.getExecutionTypes())
              .filter(
                (type) => type.baseType === 'Train' || type.name === 'Train',
              )
              .map((type) => type.name),
          )
          for (const run of await runsToExport(
            store,
            options,
            context.location,
          )) {
            const summary = await markAbandoned(store, run)
            const fresh =
              summary.status === 'ABANDONED'
                ? ((await store.getContexts({ ids: [run.id], limit: 1 }))
                    .items[0] ?? run)
                : run
            const events = buildRunEvents(await readRunRecords(store, fresh), {
              namespace,
              trainTypes,
            })
            context.io.stdout(
              events.map((event) => `${JSON.stringify(event)}\n`).join(''),
            )
          }
        }),
    )
}
