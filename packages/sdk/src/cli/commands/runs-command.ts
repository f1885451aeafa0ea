import { Command, Option } from 'commander'
import { listRuns } from '../../query/list-runs.js'
import { runMetricValues } from '../../query/run-metric-values.js'
import { progress } from '../cli-io.js'
import type { CliContext } from '../cli-context.js'
import {
  formatDuration,
  formatTable,
  formatTime,
  shortId,
} from '../format-values.js'
import { formatMetricValue } from '../format-run.js'
import { writeJson } from '../write-json.js'
import { positiveInteger } from '../parse-options.js'

interface RunsOptions {
  pipeline?: string
  status?: string
  filter?: string
  limit: number
  metric: string[]
  json?: boolean
}

/**
 * `lore runs`: recent runs with id, pipeline, status, start, duration and steps, and a
 * column per `--metric`.
 */
export function runsCommand(context: CliContext): Command {
  return new Command('runs')
    .description('list recent runs, newest first')
    .option('-p, --pipeline <name>', 'only runs of this pipeline')
    .addOption(
      new Option('-s, --status <status>', 'only runs with this status').choices(
        ['RUNNING', 'COMPLETE', 'FAILED', 'CANCELED', 'ABANDONED'],
      ),
    )
    .option(
      '-f, --filter <expression>',
      'a store filter over the runs, e.g. "custom_properties.stepCount > 3"',
    )
    .option('-n, --limit <count>', 'how many runs', positiveInteger, 20)
    .option(
      '-m, --metric <key>',
      "add a column with the run's last value of this metric (repeatable)",
      (value: string, previous: string[]) => [...previous, value],
      [],
    )
    .option('--json', 'print JSON')
    .action(async (options: RunsOptions) => {
      const store = await context.store()
      const runs = await listRuns(store, {
        ...(options.pipeline === undefined
          ? {}
          : { pipeline: options.pipeline }),
        ...(options.status === undefined ? {} : { status: options.status }),
        ...(options.filter === undefined ? {} : { filter: options.filter }),
        limit: options.limit,
        onProgress: progress(context.io, 'reading runs'),
      })
      const metrics = await Promise.all(
        runs.map((run) =>
          runMetricValues(store, run.contextId, options.metric),
        ),
      )
      if (options.json === true) {
        writeJson(
          context.io,
          runs.map((run, index) =>
            options.metric.length === 0
              ? run
              : { ...run, metrics: metrics[index] ?? {} },
          ),
        )
        return
      }
      if (runs.length === 0) {
        context.io.stdout(
          `no runs in ${context.location}${options.pipeline === undefined && options.status === undefined ? '; run a pipeline first (pnpm demo)' : ' match'}\n`,
        )
        return
      }
      const rows = runs.map((run, index) => [
        shortId(run.runId),
        run.pipeline,
        run.status,
        formatTime(run.startedAt),
        formatDuration(run.durationMs),
        `${run.steps}${run.failedSteps > 0 ? ` (${run.failedSteps} failed)` : ''}${run.droppedRecords > 0 ? ` (${run.droppedRecords} dropped)` : ''}`,
        ...options.metric.map((key) => {
          const value = metrics[index]?.[key]
          return value === undefined ? '-' : formatMetricValue(value)
        }),
      ])
      context.io.stdout(
        `${formatTable(['RUN', 'PIPELINE', 'STATUS', 'STARTED', 'DURATION', 'STEPS', ...options.metric.map((key) => key.toUpperCase())], rows)}\n`,
      )
    })
}
